import { describe, expect, it } from 'vitest';
import {
  maskView,
  resolveVariables,
  secretMarkers,
  type Variable,
} from '../../../src-main/core/console/environment';
import { TokendeckError } from '../../../src-main/core/errors';
import type { RequestSpec } from '../../../src-main/core/console';

const VARS: Variable[] = [
  { name: 'tenant', value: 'acme', secret: false },
  { name: 'key', value: 'k3y/with space&more', secret: true },
  { name: 'loop', value: '{{tenant}}', secret: false },
];

const rest = (over: Partial<Extract<RequestSpec, { kind: 'rest' }>> = {}): RequestSpec => ({
  kind: 'rest',
  accountId: 'a-1',
  method: 'POST',
  url: '/t/{{tenant}}/items',
  ...over,
});

function thrown(fn: () => unknown): TokendeckError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokendeckError) return error;
    throw error;
  }
  throw new Error('expected a TokendeckError');
}

describe('resolveVariables', () => {
  it('fills the URL, the query, header values and the REST body, and leaves the spec as it was', () => {
    const spec = rest({
      query: [['t', '{{ tenant }}']],
      headers: [['X-Key', 'Key {{key}}']],
      body: { type: 'json', text: '{"tenant":"{{tenant}}"}' },
    });
    const before = structuredClone(spec);
    const { spec: out, used } = resolveVariables(spec, VARS, 'shop');
    expect(out).toMatchObject({
      url: '/t/acme/items',
      query: [['t', 'acme']],
      headers: [['X-Key', 'Key k3y/with space&more']],
      body: { type: 'json', text: '{"tenant":"acme"}' },
    });
    expect(used).toBe(true);
    expect(spec).toEqual(before);
  });

  it('fills GraphQL variables at any depth and the URL, but not the query text', () => {
    const spec: RequestSpec = {
      kind: 'graphql',
      accountId: 'a-1',
      query: 'query { me { id } } # {{tenant}}',
      url: 'https://x.test/{{tenant}}/graphql',
      variables: {
        a: '{{tenant}}',
        list: [{ b: 'x-{{key}}' }, 3, null],
        ['__proto__']: '{{tenant}}',
      },
    };
    const out = resolveVariables(spec, VARS, 'shop').spec as Extract<
      RequestSpec,
      { kind: 'graphql' }
    >;
    expect(out.query).toBe('query { me { id } } # {{tenant}}');
    expect(out.url).toBe('https://x.test/acme/graphql');
    expect(out.variables?.a).toBe('acme');
    expect(out.variables?.list).toEqual([{ b: 'x-k3y/with space&more' }, 3, null]);
    expect(Object.getOwnPropertyDescriptor(out.variables, '__proto__')?.value).toBe('acme');
    expect(Object.getPrototypeOf(out.variables)).toBe(Object.prototype);
  });

  it('resolves once: a value that holds {{x}} is sent as it is', () => {
    expect(resolveVariables(rest({ url: '/{{loop}}' }), VARS, 'shop').spec).toMatchObject({
      url: '/{{tenant}}',
    });
  });

  it('keeps \\{{name}} as the literal {{name}}, and any other {{ as it is', () => {
    const body = '{"tpl":"\\{{tenant}}", "obj": {{ "a": 1 }}, "x": "{{ not a name! }}"}';
    const out = resolveVariables(rest({ body: { type: 'raw', text: body } }), VARS, 'shop');
    expect(out.spec).toMatchObject({
      body: { text: '{"tpl":"{{tenant}}", "obj": {{ "a": 1 }}, "x": "{{ not a name! }}"}' },
    });
  });

  it('refuses an unknown name with unknown_variable, naming it and the command that defines it', () => {
    const error = thrown(() => resolveVariables(rest({ url: '/{{nope}}' }), VARS, 'shop'));
    expect(error.code).toBe('unknown_variable');
    expect(error.details).toEqual({ variable: 'nope', providerId: 'shop' });
    expect(error.message).toContain('{{nope}}');
    expect(error.message).toContain('tokendeck env set shop nope VALUE');
  });

  it('with no variables a spec without {{ is unchanged and used is false', () => {
    const spec = rest({ url: '/plain' });
    const out = resolveVariables(spec, [], 'shop');
    expect(out.spec).toEqual(spec);
    expect(out.used).toBe(false);
  });

  it('masks each secret used, as is and URL-encoded, and nothing that was not used', () => {
    const { mask } = resolveVariables(rest({ url: '/x?k={{key}}' }), VARS, 'shop');
    const encoded = encodeURIComponent('k3y/with space&more');
    expect(mask(`https://h.test/x?k=${encoded} and k3y/with space&more`)).toBe(
      'https://h.test/x?k={{key}} and {{key}}',
    );
    const view = maskView({ url: `https://h.test/${encoded}`, redirects: [`/r/${encoded}`] }, mask);
    expect(view).toEqual({ url: 'https://h.test/{{key}}', redirects: ['/r/{{key}}'] });
    const unused = resolveVariables(rest({ url: '/x' }), VARS, 'shop');
    expect(unused.mask('k3y/with space&more')).toBe('k3y/with space&more');
  });

  it('writes a secret as a marker that a shell command turns into "$name"', () => {
    const markers = secretMarkers();
    const out = resolveVariables(rest({ url: '/x/{{key}}' }), VARS, 'shop', markers.marker);
    const url = (out.spec as { url: string }).url;
    expect(url).not.toContain('k3y');
    expect(markers.shellVariables(`curl '${url}'`)).toBe(`curl '/x/'"$key"''`);
    // Another export's markers are not this one's: request text cannot fake a marker.
    expect(secretMarkers().shellVariables(`'${url}'`)).toBe(`'${url}'`);
  });
});
