import { useEffect } from 'react';
import { useStore } from '../store';

const TOAST_MS = 2000;

/** The one transient message ("Copied"), announced politely and dismissed after a moment. */
export function ToastHost() {
  const toast = useStore((state) => state.toast);
  const dismissToast = useStore((state) => state.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
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
