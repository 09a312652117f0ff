import { useEffect } from 'react';
import { useStore } from '../store';

const TOAST_MS = 2000;
/** A longer message (a warning with the copy) stays long enough to be read: ~60 ms a character. */
const READING_MS_PER_CHAR = 60;

/** The one transient message ("Copied"), announced politely and dismissed after a moment. */
export function ToastHost() {
  const toast = useStore((state) => state.toast);
  const dismissToast = useStore((state) => state.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const shown = Math.max(TOAST_MS, toast.text.length * READING_MS_PER_CHAR);
    const timer = setTimeout(() => dismissToast(toast.id), shown);
    return () => clearTimeout(timer);
  }, [toast, dismissToast]);
  return (
    <div className="toast-host" role="status" aria-live="polite">
      {toast ? (
        <div key={toast.id} className="toast">
          {toast.text}
        </div>
      ) : null}
    </div>
  );
}
