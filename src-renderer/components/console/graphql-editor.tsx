import { json } from '@codemirror/lang-json';
import type { EditorView } from '@codemirror/view';
import { useMemo, useRef, useState } from 'react';
import { CodeEditor } from './code-editor';
import type { GraphqlDraft } from './console-model';
import type { SchemaState } from './console-store';
import { graphqlEditorSupport, needsSelection, schemaFrom } from './graphql-support';
import { SchemaBrowser } from './schema-browser';

const jsonLanguage = json();

/**
 * The GraphQL request: the query (completion, validation and hover docs from the introspected
 * schema), variables, operation name and URL, with the schema browser beside it.
 */
export function GraphqlEditor({
  draft,
  graphqlUrl,
  schemaState,
  onChange,
  onRefreshSchema,
}: {
  draft: GraphqlDraft;
  graphqlUrl?: string;
  schemaState?: SchemaState;
  onChange: (draft: GraphqlDraft) => void;
  onRefreshSchema: () => void;
}) {
  const raw = schemaState?.schema;
  // schemaFrom keeps one built schema per introspection result.
  const schema = raw ? schemaFrom(raw) : undefined;
  const usable = schema instanceof Error ? undefined : schema;
  const language = useMemo(() => graphqlEditorSupport(usable), [usable]);
  const [browsing, setBrowsing] = useState(true);
  const queryView = useRef<EditorView | null>(null);

  const insertField = (typeName: string, fieldName: string) => {
    const view = queryView.current;
    if (!view || !usable) return;
    const text = needsSelection(usable, typeName, fieldName) ? `${fieldName} {  }` : fieldName;
    const { from, to } = view.state.selection.main;
    const before = from > 0 ? view.state.sliceDoc(from - 1, from) : '';
    const insert = (before && !/\s|\{/.test(before) ? ' ' : '') + text;
    const cursor = from + insert.length - (text.endsWith('{  }') ? 2 : 0);
    view.dispatch({ changes: { from, to, insert }, selection: { anchor: cursor } });
    view.focus();
  };

  return (
    <div className={`graphql ${browsing && usable ? 'graphql--browsing' : ''}`}>
      <div className="graphql__main">
        <div className="graphql__fields">
          <label className="field graphql__url">
            <span className="field__label">GraphQL URL</span>
            <input
              className="input input--compact mono"
              value={draft.url}
              placeholder={graphqlUrl ?? 'https://…/graphql'}
              onChange={(event) => onChange({ ...draft, url: event.target.value })}
            />
          </label>
          <label className="field graphql__operation">
            <span className="field__label">Operation name</span>
            <input
              className="input input--compact mono"
              value={draft.operationName}
              placeholder="optional"
              onChange={(event) => onChange({ ...draft, operationName: event.target.value })}
            />
          </label>
        </div>
        <div className="schema-bar">
          <span className="small muted" role="status">
            {schemaState?.loading
              ? 'Loading the schema…'
              : schemaState?.error
                ? null
                : schema instanceof Error
                  ? null
                  : schemaState?.fetchedAt
                    ? `Schema fetched ${fetchedWhen(schemaState.fetchedAt)}`
                    : 'No schema yet'}
          </span>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={onRefreshSchema}
            disabled={schemaState?.loading}
          >
            Refresh schema
          </button>
          {usable ? (
            <button
              type="button"
              className="button button--secondary button--small"
              aria-pressed={browsing}
              onClick={() => setBrowsing(!browsing)}
            >
              {browsing ? 'Hide schema' : 'Browse schema'}
            </button>
          ) : null}
        </div>
        {schemaState?.error || schema instanceof Error ? (
          <p className="inline-error small" role="alert">
            {schemaState?.error ?? (schema as Error).message} Completion and validation need the
            schema; the query can still be sent.
          </p>
        ) : null}
        <CodeEditor
          className="graphql__query"
          label="GraphQL query"
          value={draft.query}
          language={language}
          placeholder="query { … }  (Ctrl+Space for completion)"
          onView={(view) => {
            queryView.current = view;
          }}
          onChange={(query) => onChange({ ...draft, query })}
        />
        <span className="field__label">Variables</span>
        <CodeEditor
          className="graphql__variables"
          label="GraphQL variables"
          value={draft.variables}
          language={jsonLanguage}
          placeholder='{ "id": 1 }'
          onChange={(variables) => onChange({ ...draft, variables })}
        />
      </div>
      {browsing && usable ? <SchemaBrowser schema={usable} onInsert={insertField} /> : null}
    </div>
  );
}

/** "at 11:43" today, the date otherwise. */
function fetchedWhen(at: number): string {
  const date = new Date(at);
  return date.toDateString() === new Date().toDateString()
    ? `at ${date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`
    : `on ${date.toLocaleDateString()}`;
}
