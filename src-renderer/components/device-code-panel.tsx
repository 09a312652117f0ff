import type { DeviceCodes } from '../../src-preload/contract';
import { formatCountdown } from '../format/time';
import { useSecondTicker } from './use-ticker';
import '../styles/protocol.css';

/**
 * The device sign-in (RFC 8628 §3.3): the code to enter, large, where to enter it, and how long
 * it still works. Tokendeck has opened the page in the system browser; the page also works on
 * any other device, which is the point of the grant.
 */
export function DeviceCodePanel({ device, name }: { device: DeviceCodes; name: string }) {
  const now = useSecondTicker();
  const expired = device.expiresAt <= now;
  return (
    <div className="callout device-code" aria-label="Device sign-in">
      <p>
        Open <span className="mono device-code__url">{device.verificationUri}</span> on this or any
        other device, sign in to {name}, and enter this code:
      </p>
      <output className="device-code__code mono" aria-label="Code to enter">
        {device.userCode}
      </output>
      <p className={`small${expired ? ' device-code__expired' : ' muted'}`}>
        {expired
          ? 'The code has expired. Cancel, then connect again for a new one.'
          : `The code expires ${formatCountdown(device.expiresAt, now)}. Tokendeck opened the page in your browser.`}
      </p>
    </div>
  );
}
