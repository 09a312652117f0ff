import type { GraphQLSchema } from 'graphql';
import { useMemo, useState } from 'react';
import { browserTypes } from './graphql-support';

/**
 * The schema's types, fields and arguments, searchable. Clicking a field inserts it into the
 * query at the cursor.
 */
export function SchemaBrowser({
  schema,
  onInsert,
}: {
  schema: GraphQLSchema;
  onInsert: (typeName: string, fieldName: string) => void;
}) {
  const types = useMemo(() => browserTypes(schema), [schema]);
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = types
    .map((type) => ({
      ...type,
      fields:
        needle === '' || type.name.toLowerCase().includes(needle)
          ? type.fields
          : type.fields.filter(
              (field) =>
                field.name.toLowerCase().includes(needle) ||
                field.type.toLowerCase().includes(needle),
            ),
    }))
    .filter((type) => type.fields.length > 0);
  return (
    <section className="schema-browser" aria-label="Schema">
      <input
        className="input input--compact"
        type="search"
        placeholder="Search types and fields"
        aria-label="Search the schema"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      {shown.length === 0 ? <p className="muted small">Nothing matches “{search}”.</p> : null}
      <div className="schema-browser__types">
        {shown.map((type) => (
          <details
            key={type.name}
            className="schema-type"
            open={Boolean(type.root) || needle !== ''}
          >
            <summary>
              <span className="schema-type__name mono">{type.name}</span>
              {type.root ? <span className="tag">{type.root}</span> : null}
              {type.kind !== 'object' ? <span className="tag">{type.kind}</span> : null}
            </summary>
            {type.description ? (
              <p className="muted small schema-type__doc">{type.description}</p>
            ) : null}
            <ul className="schema-fields">
              {type.fields.map((field) => (
                <li key={field.name}>
                  <button
                    type="button"
                    className="schema-field"
                    title={field.description ?? undefined}
                    disabled={type.kind === 'input'}
                    onClick={() => onInsert(type.name, field.name)}
                  >
                    <span className="visually-hidden">Insert {type.name}.</span>
                    <span className="mono schema-field__name">{field.name}</span>
                    {field.args.length ? (
                      <span className="mono muted schema-field__args">
                        ({field.args.map((arg) => `${arg.name}: ${arg.type}`).join(', ')})
                      </span>
                    ) : null}
                    <span className="mono schema-field__type">{field.type}</span>
                  </button>
                  {field.description ? (
                    <p className="muted small schema-field__doc">{field.description}</p>
                  ) : null}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </div>
    </section>
  );
}
