import { useEffect, useId, useRef, type ReactNode } from 'react';
import { InlineError } from './inline-error';

/**
 * A modal sheet on the native `<dialog>`: the browser traps focus, Escape closes it, and the
 * page behind is inert. The title names it for screen readers.
 */
export function Dialog({
  title,
  description,
  onClose,
  children,
  wide,
  className,
}: {
  title: string;
  description?: ReactNode;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // The browser's own focus return needs close() on an attached dialog, but React removes it
    // first; so the element focused before opening gets focus back here.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // React's autoFocus runs while the dialog is still closed (not focusable), so the first field
    // a sheet wants focused carries data-autofocus instead.
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`sheet${wide ? ' sheet--wide' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onClick={(event) => {
        if (event.target === ref.current) onCloseRef.current();
      }}
    >
      <div className="sheet__body">
        <header className="sheet__header">
          <h2 id={titleId} className="sheet__title">
            {title}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label="Close"
            onClick={() => onCloseRef.current()}
          >
            ×
          </button>
        </header>
        {description ? <div className="sheet__description">{description}</div> : null}
        {children}
      </div>
    </dialog>
  );
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog({
  title,
  children,
  confirm,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirm: string;
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm-text">{children}</div>
      <InlineError message={error} />
      <div className="sheet__actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy || undefined}
          data-autofocus
        >
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
