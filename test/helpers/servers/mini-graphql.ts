/**
 * A tiny GraphQL executor for the stand-ins' fixed schemas.
 *
 * It parses one anonymous or named `query` made of nested field selections (no arguments,
 * fragments, directives or variables) and resolves it against a plain object. Unknown fields
 * are errors, as a real schema would report. Replies follow GraphQL over HTTP: a document that
 * cannot run is a 400 with `errors`, a resolved one a 200 with `data`.
 */

/** A parsed selection set: field name to its sub-selection (`null` for a leaf). */
export type Selection = Map<string, Selection | null>;

/** The outcome of running a query: an HTTP status and a GraphQL response body. */
export interface GraphqlResult {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string }> };
}

/** Parses a query document, or throws an Error naming the problem. */
export function parseQuery(query: string): Selection {
  const tokens = query.replace(/#[^\n]*/g, ' ').match(/[{}]|[_A-Za-z][_0-9A-Za-z]*|\S/g) ?? [];
  let i = 0;
  if (tokens[i] === 'query') {
    i += 1;
    if (tokens[i] !== undefined && tokens[i] !== '{') i += 1;
  }
  const readSet = (): Selection => {
    if (tokens[i] !== '{')
      throw new Error(`Syntax Error: expected "{" but found ${tokens[i] ?? 'end'}`);
    i += 1;
    const set: Selection = new Map();
    while (tokens[i] !== '}') {
      const name = tokens[i];
      if (name === undefined || !/^[_A-Za-z]/.test(name)) {
        throw new Error(`Syntax Error: unexpected ${name ?? 'end of document'}`);
      }
      i += 1;
      set.set(name, tokens[i] === '{' ? readSet() : null);
    }
    i += 1;
    if (set.size === 0) throw new Error('Syntax Error: empty selection set');
    return set;
  };
  const root = readSet();
  if (i !== tokens.length) throw new Error(`Syntax Error: unexpected ${tokens[i]}`);
  return root;
}

/** Resolves `selection` against `value`; `typeName` names the type in error messages. */
function resolve(
  selection: Selection,
  value: Record<string, unknown>,
  typeName: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, sub] of selection) {
    if (!(name in value)) throw new Error(`Cannot query field "${name}" on type "${typeName}".`);
    const field = value[name];
    const isObject = field !== null && typeof field === 'object';
    if (sub === null) {
      if (isObject)
        throw new Error(
          `Field "${name}" of type "${typeName}" must have a selection of subfields.`,
        );
      out[name] = field;
    } else {
      if (!isObject)
        throw new Error(`Field "${name}" must not have a selection since it has no subfields.`);
      out[name] = resolve(sub, field as Record<string, unknown>, name);
    }
  }
  return out;
}

/**
 * Runs a GraphQL over HTTP request body against `root`.
 *
 * `body` is the parsed JSON request; it must carry a string `query`.
 */
export function runGraphql(
  body: Record<string, unknown> | undefined,
  root: Record<string, unknown>,
): GraphqlResult {
  const query = body?.query;
  if (typeof query !== 'string') {
    return { status: 400, body: { errors: [{ message: 'Must provide query string.' }] } };
  }
  try {
    return { status: 200, body: { data: resolve(parseQuery(query), root, 'Query') } };
  } catch (error) {
    return { status: 400, body: { errors: [{ message: (error as Error).message }] } };
  }
}
