import { json } from '@codemirror/lang-json';
import { useState } from 'react';
import { CodeEditor } from './code-editor';
import { METHODS, resolvedUrl, type BodyType, type RestDraft } from './console-model';
import { KvTable } from './kv-table';
import { parseCurl } from './parse-curl';

const jsonLanguage = json();

type Part = 'query' | 'headers' | 'body';

/**
 * The REST request: method, URL (or a path under the API base, shown resolved), and the query,
 * header and body parts. Pasting a curl command into the URL fills the whole request.
 */
export function RestEditor({
  draft,
  apiBase,
  tokenHeader,
  onChange,
  onCurl,
}: {
  draft: RestDraft;
  apiBase?: string;
  tokenHeader: string;
  onChange: (draft: RestDraft) => void;
  /** A pasted curl command filled the request: say what was left out. */
  onCurl: (parsed: { draft: RestDraft; locationTrusted: boolean; note: string | null }) => void;
}) {
  const [part, setPart] = useState<Part>(draft.bodyType === 'none' ? 'query' : 'body');
  const resolved = resolvedUrl(draft.url, apiBase, draft.query);
  const counts: Record<Part, string> = {
    query: draft.query.length ? ` (${draft.query.length})` : '',
    headers: draft.headers.length ? ` (${draft.headers.length})` : '',
    body: draft.bodyType === 'none' ? '' : ` (${draft.bodyType.toUpperCase()})`,
  };
  return (
    <div className="rest">
      <div className="request-line">
        <select
          className="input request-line__method mono"
          aria-label="Method"
          value={draft.method}
          onChange={(event) => onChange({ ...draft, method: event.target.value })}
        >
          {METHODS.map((method) => (
            <option key={method}>{method}</option>
          ))}
        </select>
        <input
          className="input request-line__url mono"
          aria-label="URL"
          aria-describedby="console-resolved-url"
          placeholder={
            apiBase
              ? '/path under the API base, a full URL, or paste a curl command'
              : 'https://… or paste a curl command'
          }
          value={draft.url}
          spellCheck={false}
          onChange={(event) => onChange({ ...draft, url: event.target.value })}
          onPaste={(event) => {
            const text = event.clipboardData.getData('text/plain');
            const parsed = parseCurl(text, tokenHeader);
            if (!parsed) return;
            event.preventDefault();
            const left = [
              parsed.droppedHeaders.length
                ? `left out ${parsed.droppedHeaders.join(', ')} (the account's token is added when sending)`
                : '',
              parsed.ignored.length ? `ignored ${parsed.ignored.join(' ')}` : '',
            ].filter(Boolean);
            onCurl({
              draft: parsed.draft,
              locationTrusted: parsed.locationTrusted,
              note: `Filled from a curl command${left.length ? `; ${left.join('; ')}` : ''}.`,
            });
            setPart(parsed.draft.bodyType === 'none' ? 'query' : 'body');
          }}
        />
      </div>
      <p id="console-resolved-url" className="request-line__resolved small mono">
        {resolved ? `→ ${resolved}` : apiBase ? `API base: ${apiBase}` : '\u00a0'}
      </p>
      <div className="segmented" role="group" aria-label="Request part">
        {(['query', 'headers', 'body'] as const).map((name) => (
          <button
            key={name}
            type="button"
            className="segmented__item"
            aria-pressed={part === name}
            onClick={() => setPart(name)}
          >
            {name === 'query' ? 'Query' : name === 'headers' ? 'Headers' : 'Body'}
            {counts[name]}
          </button>
        ))}
      </div>
      <div className="request-part">
        {part === 'query' ? (
          <KvTable
            label="Query parameters"
            rows={draft.query}
            onChange={(query) => onChange({ ...draft, query })}
          />
        ) : null}
        {part === 'headers' ? (
          <>
            <KvTable
              label="Headers"
              rows={draft.headers}
              onChange={(headers) => onChange({ ...draft, headers })}
            />
            <p className="muted small">
              The account&apos;s token is added as {tokenHeader} when sending.
            </p>
          </>
        ) : null}
        {part === 'body' ? <BodyEditor draft={draft} onChange={onChange} /> : null}
      </div>
    </div>
  );
}

const BODY_TYPES: Array<[BodyType, string]> = [
  ['none', 'None'],
  ['json', 'JSON'],
  ['form', 'Form'],
  ['raw', 'Raw'],
];

function BodyEditor({
  draft,
  onChange,
}: {
  draft: RestDraft;
  onChange: (draft: RestDraft) => void;
}) {
  return (
    <div className="body-editor">
      <div className="segmented" role="group" aria-label="Body type">
        {BODY_TYPES.map(([type, label]) => (
          <button
            key={type}
            type="button"
            className="segmented__item"
            aria-pressed={draft.bodyType === type}
            onClick={() => onChange({ ...draft, bodyType: type })}
          >
            {label}
          </button>
        ))}
      </div>
      {draft.bodyType === 'json' ? (
        <CodeEditor
          className="body-editor__code"
          label="JSON body"
          value={draft.body}
          language={jsonLanguage}
          placeholder='{ "name": "value" }'
          onChange={(body) => onChange({ ...draft, body })}
        />
      ) : null}
      {draft.bodyType === 'raw' ? (
        <CodeEditor
          className="body-editor__code"
          label="Raw body"
          value={draft.body}
          onChange={(body) => onChange({ ...draft, body })}
        />
      ) : null}
      {draft.bodyType === 'form' ? (
        <KvTable
          label="Form fields"
          rows={draft.form}
          onChange={(form) => onChange({ ...draft, form })}
        />
      ) : null}
      {draft.bodyType === 'none' ? (
        <p className="muted small">This request sends no body.</p>
      ) : null}
    </div>
  );
}
