import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  foldGutter,
  foldKeymap,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  placeholder as placeholderText,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import { styleNonce } from './csp-nonce';

/**
 * A CodeMirror 6 editor as a React component: the request console's JSON, GraphQL and response
 * editors.
 *
 * Its styles are `<style>` elements carrying the page's CSP nonce (see {@link styleNonce}); its
 * colours are the app's CSS variables, so light and dark follow the theme. `value` is pushed in
 * only when it differs from the document, so typing never loses the cursor.
 */
export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** The language and its helpers (completion, lint); changes are applied in place. */
  language?: Extension;
  /** Accessible name of the editing surface. */
  label: string;
  readOnly?: boolean;
  placeholder?: string;
  /** Line numbers and fold markers: for long documents such as a response body. */
  gutters?: boolean;
  /** Lets the parent reach the view (to insert a field from the schema browser). */
  onView?: (view: EditorView | null) => void;
  className?: string;
}

const nonce = EditorView.cspNonce.of(styleNonce() ?? '');

const theme = EditorView.theme({
  '&': {
    color: 'var(--text)',
    backgroundColor: 'var(--surface)',
    fontSize: '13px',
    border: '1px solid var(--border)',
    borderRadius: '8px',
    height: '100%',
  },
  '&.cm-focused': { outline: '2px solid var(--focus)', outlineOffset: '0' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--text)', padding: '6px 0' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--text-muted)',
    border: 'none',
    borderRadius: '8px 0 0 8px',
  },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '&.cm-focused .cm-activeLine': { backgroundColor: 'var(--accent-soft)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': {
    backgroundColor: 'var(--accent-soft) !important',
  },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-placeholder': { color: 'var(--text-muted)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '8px',
    boxShadow: 'var(--shadow-lg)',
    overflow: 'hidden',
  },
  '.cm-tooltip-autocomplete > ul > li': { padding: '2px 8px' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--accent-text)',
  },
  '.cm-completionDetail': { color: 'inherit', opacity: '0.75', marginLeft: '8px' },
  '.cm-tooltip-hover, .cm-completionInfo': { padding: '6px 10px', maxWidth: '420px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--danger)' },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--neutral-soft)',
    color: 'var(--text-muted)',
    border: 'none',
  },
});

const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--accent)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--ok)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--warn)' },
  { tag: [tags.keyword, tags.operatorKeyword], color: 'var(--info)', fontWeight: '600' },
  { tag: [tags.typeName, tags.className], color: 'var(--warn)' },
  { tag: [tags.variableName, tags.attributeName], color: 'var(--info)' },
  { tag: tags.comment, color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

export function CodeEditor({
  value,
  onChange,
  language,
  label,
  readOnly = false,
  placeholder,
  gutters = false,
  onView,
  className,
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const languageSlot = useRef(new Compartment());
  const changeRef = useRef(onChange);
  useEffect(() => {
    changeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    if (!host.current) return undefined;
    const extensions: Extension[] = [
      nonce,
      theme,
      syntaxHighlighting(highlight),
      drawSelection(),
      bracketMatching(),
      languageSlot.current.of(language ?? []),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.lineWrapping,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) changeRef.current?.(update.state.doc.toString());
      }),
    ];
    if (gutters) extensions.push(lineNumbers(), foldGutter(), keymap.of(foldKeymap));
    if (readOnly) {
      extensions.push(
        EditorState.readOnly.of(true),
        EditorView.contentAttributes.of({ 'aria-readonly': 'true' }),
      );
    } else {
      extensions.push(
        history(),
        autocompletion(),
        indentOnInput(),
        closeBrackets(),
        highlightActiveLine(),
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
          ...lintKeymap,
          indentWithTab,
        ]),
      );
    }
    if (placeholder) extensions.push(placeholderText(placeholder));
    const created = new EditorView({
      parent: host.current,
      state: EditorState.create({ doc: value, extensions }),
    });
    // A read-only document is still read with the keyboard: its scroller takes focus.
    if (readOnly) created.scrollDOM.tabIndex = 0;
    view.current = created;
    onView?.(created);
    return () => {
      onView?.(null);
      created.destroy();
      view.current = null;
    };
    // The editor is made once per mount; value and language are pushed in by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readOnly, gutters, label]);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: languageSlot.current.reconfigure(language ?? []) });
  }, [language]);

  return <div ref={host} className={`code-editor ${className ?? ''}`} />;
}
