import type { Extension } from '@codemirror/state';
import { hoverTooltip } from '@codemirror/view';
import { graphql, offsetToPos } from 'cm6-graphql';
import {
  buildClientSchema,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { getHoverInformation } from 'graphql-language-service';

/**
 * GraphQL in the console: the schema built from the engine's introspection result, and the
 * editor extensions it feeds (completion, inline validation, hover docs).
 */

const built = new WeakMap<object, GraphQLSchema | Error>();

/**
 * A schema from an introspection result (`{ __schema }`, or a whole `{ data: { __schema } }`
 * answer). Built once per result object; an Error when it is not a usable schema.
 */
export function schemaFrom(raw: unknown): GraphQLSchema | Error {
  if (typeof raw !== 'object' || raw === null) return new Error('The server sent no schema.');
  const cached = built.get(raw);
  if (cached) return cached;
  const inner = (raw as { data?: unknown }).data ?? raw;
  let result: GraphQLSchema | Error;
  try {
    result = buildClientSchema(inner as IntrospectionQuery);
  } catch (error) {
    result = new Error(
      `The introspection result is not a usable schema: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  built.set(raw, result);
  return result;
}

/** Hover docs: the type and description of what is under the pointer. */
function hoverDocs(schema: GraphQLSchema): Extension {
  return hoverTooltip((view, pos) => {
    const text = view.state.doc.toString();
    const info = getHoverInformation(schema, text, offsetToPos(view.state.doc, pos));
    const content = Array.isArray(info) ? info.join('\n\n') : String(info ?? '');
    if (!content.trim()) return null;
    return {
      pos,
      create() {
        const dom = document.createElement('div');
        dom.className = 'gql-hover';
        // Shown as text: descriptions come from the server and are never rendered as markup.
        dom.textContent = content.replace(/```graphql\n?|```/g, '');
        return { dom };
      },
    };
  });
}

/** The editor extensions for a GraphQL query, with or without a schema. */
export function graphqlEditorSupport(schema: GraphQLSchema | undefined): Extension {
  return schema ? [graphql(schema), hoverDocs(schema)] : graphql();
}

/** One field of the schema browser. */
export interface BrowserField {
  name: string;
  type: string;
  args: Array<{ name: string; type: string }>;
  description?: string;
}

export interface BrowserType {
  name: string;
  kind: 'object' | 'input' | 'interface';
  description?: string;
  fields: BrowserField[];
  root?: 'query' | 'mutation' | 'subscription';
}

/** The schema's object, interface and input types with their fields, roots first. */
export function browserTypes(schema: GraphQLSchema): BrowserType[] {
  const roots = new Map<string, BrowserType['root']>();
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query) roots.set(query.name, 'query');
  if (mutation) roots.set(mutation.name, 'mutation');
  if (subscription) roots.set(subscription.name, 'subscription');
  const types: BrowserType[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    const fields = Object.values(type.getFields()).map((field) => ({
      name: field.name,
      type: String(field.type),
      args:
        'args' in field
          ? field.args.map((arg: { name: string; type: unknown }) => ({
              name: arg.name,
              type: String(arg.type),
            }))
          : [],
      description: field.description ?? undefined,
    }));
    types.push({
      name: type.name,
      kind: isInputObjectType(type) ? 'input' : isInterfaceType(type) ? 'interface' : 'object',
      description: type.description ?? undefined,
      fields,
      root: roots.get(type.name),
    });
  }
  const order = (t: BrowserType) =>
    t.root ? ['query', 'mutation', 'subscription'].indexOf(t.root) : 9;
  return types.sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
}

/** True when a field's type has fields of its own, so inserting it needs a selection `{ }`. */
export function needsSelection(
  schema: GraphQLSchema,
  typeName: string,
  fieldName: string,
): boolean {
  const type = schema.getType(typeName);
  if (!type || (!isObjectType(type) && !isInterfaceType(type))) return false;
  const field = type.getFields()[fieldName];
  if (!field) return false;
  const named = getNamedType(field.type);
  return isObjectType(named) || isInterfaceType(named);
}
