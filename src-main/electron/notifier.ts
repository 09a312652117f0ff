import { Notification } from 'electron';
import type { Logger, Notice } from '../core';

/**
 * OS notifications for the desktop shell's {@link Notice}s.
 *
 * A shown notification is kept referenced until it is clicked, closed or fails: one that is
 * garbage-collected earlier loses its click handler. Where the OS has no notifications (some
 * Linux sessions without a notification daemon) nothing is shown, and that is logged once.
 */
/**
 * The Windows AppUserModelID: Windows shows notifications only for an app that has one, and it
 * must match the installer's shortcut, which electron-builder gives its `appId`.
 */
export const APP_USER_MODEL_ID = 'dev.tokendeck.app';

export interface Notifier {
  show(notice: Notice, onClick?: () => void): void;
}

export function createNotifier(logger: Logger): Notifier {
  const showing = new Set<Notification>();
  let toldUnsupported = false;
  return {
    show(notice, onClick) {
      if (!Notification.isSupported()) {
        if (!toldUnsupported) logger.info('notifications are not supported here');
        toldUnsupported = true;
        return;
      }
      const notification = new Notification({
        title: notice.title,
        body: notice.body,
        ...(notice.silent ? { silent: true } : {}),
      });
      const done = () => showing.delete(notification);
      notification.on('click', () => {
        done();
        onClick?.();
      });
      notification.on('close', done);
      notification.on('failed', (_event, error) => {
        done();
        logger.warn('a notification failed', { error });
      });
      showing.add(notification);
      notification.show();
    },
  };
}
