import { useEffect, useMemo, useRef, useState } from 'react';
import type { AccountSummary, TokenState } from '../../../src-preload/contract';
import { formatClock, formatCountdown, formatRelative } from '../../format/time';
import { useStore } from '../../store';
import { STATE_LABELS } from '../status-badge';
import { useSecondTicker } from '../use-ticker';
import { matchesSearch } from './account-items';

/**
 * The token timeline: one bar per account over the next hours, from when its token was issued to
 * when it expires, with the planned renewal marked and a "now" line.
 *
 * Drawn on one canvas that covers only the visible part of a tall scroll area, so a thousand
 * accounts cost what a screenful costs; it redraws once a second and on scroll or resize.
 * Hovering a bar shows its times.
 */

const ROW = 26;
const HEADER = 28;
const LABEL_WIDTH = 220;
const AXIS = 28;

type Line = { kind: 'group'; name: string } | { kind: 'account'; account: AccountSummary };

/** The colour of each state: a CSS custom property (without its dashes), so both themes apply. */
const STATE_VARS: Record<TokenState, string> = {
  fresh: 'ok',
  expiring: 'warn',
  refreshing: 'info',
  expired: 'danger',
  'needs-reauth': 'danger',
  error: 'warn',
  'no-expiry': 'neutral',
};

function readColours(element: HTMLElement): Record<string, string> {
  const probe = document.createElement('span');
  element.append(probe);
  const colours: Record<string, string> = {};
  for (const name of [
    'ok',
    'warn',
    'info',
    'danger',
    'neutral',
    'text',
    'text-muted',
    'border',
    'accent',
    'surface-2',
  ]) {
    probe.style.color = `var(--${name})`;
    colours[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return colours;
}

export default function Timeline({ query }: { query: string }) {
  const order = useStore((state) => state.accountOrder);
  const byId = useStore((state) => state.accountsById);
  const inspect = useStore((state) => state.inspect);
  const now = useSecondTicker();
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [view, setView] = useState({ top: 0, width: 800, height: 400 });
  const [hover, setHover] = useState<{ index: number; x: number; y: number } | null>(null);
  const [themeTick, setThemeTick] = useState(0);

  const lines = useMemo(() => {
    const out: Line[] = [];
    let group: string | null = null;
    for (const id of order) {
      const account = byId[id];
      if (!account || !matchesSearch(account, query)) continue;
      if (account.providerId !== group) {
        group = account.providerId;
        out.push({ kind: 'group', name: account.providerName });
      }
      out.push({ kind: 'account', account });
    }
    return out;
  }, [order, byId, query]);

  // The window: an hour back, and forward to the latest expiry within a day (at least 2 h).
  const span = useMemo(() => {
    let latest = 0;
    for (const line of lines) {
      if (line.kind === 'account' && line.account.expiresAt !== null) {
        latest = Math.max(latest, line.account.expiresAt);
      }
    }
    const ahead = Math.min(24 * 3600_000, Math.max(2 * 3600_000, latest - now + 15 * 60_000));
    return { back: 3600_000, ahead };
  }, [lines, now]);

  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () =>
      setView({ top: element.scrollTop, width: element.clientWidth, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    element.addEventListener('scroll', measure, { passive: true });
    const media = matchMedia('(prefers-color-scheme: dark)');
    const themed = () => setThemeTick((value) => value + 1);
    media.addEventListener('change', themed);
    const attributes = new MutationObserver(themed);
    attributes.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', measure);
      media.removeEventListener('change', themed);
      attributes.disconnect();
    };
  }, []);

  const start = now - span.back;
  const end = now + span.ahead;
  const plotWidth = Math.max(100, view.width - LABEL_WIDTH - 16);
  const xOf = (at: number) => LABEL_WIDTH + ((at - start) / (end - start)) * plotWidth;

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const ratio = window.devicePixelRatio || 1;
    element.width = Math.round(view.width * ratio);
    element.height = Math.round(view.height * ratio);
    const ctx = element.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, view.width, view.height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const colours = readColours(element.parentElement ?? element);
    const colour = (name: string) => colours[name] ?? '#888';

    // Hour grid and labels along the top.
    ctx.fillStyle = colour('text-muted');
    ctx.strokeStyle = colour('border');
    ctx.lineWidth = 1;
    const hour = 3600_000;
    const step = span.ahead > 12 * hour ? 3 * hour : span.ahead > 4 * hour ? hour : 30 * 60_000;
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
      const x = Math.round(xOf(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS);
      ctx.lineTo(x, view.height);
      ctx.stroke();
      ctx.fillText(formatClock(t).slice(0, 5), x + 3, AXIS / 2);
    }

    const first = Math.max(0, Math.floor((view.top - AXIS) / ROW));
    const last = Math.min(lines.length, Math.ceil((view.top + view.height) / ROW));
    for (let index = first; index < last; index++) {
      const line = lines[index] as Line;
      const y = AXIS + index * ROW - view.top;
      if (y + ROW < AXIS) continue;
      if (line.kind === 'group') {
        ctx.fillStyle = colour('text');
        ctx.font = '600 12px system-ui, sans-serif';
        ctx.fillText(line.name, 8, y + ROW / 2);
        ctx.font = '12px system-ui, sans-serif';
        continue;
      }
      const { account } = line;
      const fill = colour(STATE_VARS[account.status.state]);
      ctx.fillStyle = hover?.index === index ? colour('accent') : colour('text');
      ctx.fillText(truncate(ctx, account.label, LABEL_WIDTH - 24), 20, y + ROW / 2);
      const from = Math.max(LABEL_WIDTH, xOf(account.receivedAt));
      const to =
        account.expiresAt === null
          ? LABEL_WIDTH + plotWidth
          : Math.min(LABEL_WIDTH + plotWidth, xOf(account.expiresAt));
      if (to > from) {
        ctx.globalAlpha = 0.28;
        ctx.fillStyle = fill;
        roundRect(ctx, from, y + 7, to - from, ROW - 14);
        ctx.globalAlpha = 1;
        ctx.fillStyle = fill;
        roundRect(ctx, from, y + 7, Math.max(3, Math.min(to, xOf(now)) - from), ROW - 14);
      }
      const renewAt = account.status.nextRenewalAt;
      if (renewAt && renewAt > start && renewAt < end) {
        const x = xOf(renewAt);
        ctx.fillStyle = colour('text');
        ctx.beginPath();
        ctx.moveTo(x, y + 4);
        ctx.lineTo(x + 4, y + ROW / 2);
        ctx.lineTo(x, y + ROW - 4);
        ctx.lineTo(x - 4, y + ROW / 2);
        ctx.fill();
      }
    }

    const nowX = Math.round(xOf(now)) + 0.5;
    ctx.strokeStyle = colour('accent');
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(nowX, AXIS - 6);
    ctx.lineTo(nowX, view.height);
    ctx.stroke();
    ctx.fillStyle = colour('accent');
    ctx.fillText('now', nowX + 4, AXIS - 8);
    // Drawing depends on these values; xOf/start/end derive from now and span.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines, view, now, themeTick, hover?.index, span]);

  const counts = useMemo(() => {
    const byState = new Map<TokenState, number>();
    for (const line of lines) {
      if (line.kind === 'account') {
        byState.set(line.account.status.state, (byState.get(line.account.status.state) ?? 0) + 1);
      }
    }
    return [...byState].map(([state, count]) => `${count} ${STATE_LABELS[state].toLowerCase()}`);
  }, [lines]);

  const hovered = hover ? lines[hover.index] : undefined;

  const pick = (event: React.MouseEvent) => {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const y = event.clientY - rect.top;
    const index = Math.floor((y + view.top - AXIS) / ROW);
    return { index, x: event.clientX - rect.left, y };
  };

  return (
    <div className="timeline">
      <div className="timeline__legend" aria-hidden="true">
        {(['fresh', 'expiring', 'refreshing', 'needs-reauth', 'no-expiry'] as const).map(
          (state) => (
            <span key={state} className={`legend legend--${state}`}>
              {STATE_LABELS[state]}
            </span>
          ),
        )}
        <span className="legend legend--renew">Renews</span>
      </div>
      <div
        ref={scroller}
        className="timeline__scroller"
        onMouseMove={(event) => {
          const picked = pick(event);
          setHover(lines[picked.index]?.kind === 'account' ? picked : null);
        }}
        onMouseLeave={() => setHover(null)}
        onClick={(event) => {
          const line = lines[pick(event).index];
          if (line?.kind === 'account') inspect(line.account.id);
        }}
      >
        <canvas
          ref={canvas}
          className="timeline__canvas"
          role="img"
          aria-label={`Token timeline of ${lines.filter((line) => line.kind === 'account').length} accounts: ${counts.join(', ')}.`}
          style={{ width: view.width, height: view.height, top: view.top }}
        />
        <div style={{ height: AXIS + lines.length * ROW + HEADER }} />
        {hovered?.kind === 'account' && hover ? (
          <div
            className="timeline__tip"
            role="tooltip"
            style={{
              left: Math.min(hover.x + 12, view.width - 260),
              top: hover.y + view.top + 14,
            }}
          >
            <strong>{hovered.account.label}</strong>
            <span className="muted">{hovered.account.providerName}</span>
            <span>
              Issued {formatClock(hovered.account.receivedAt)} (
              {formatRelative(hovered.account.receivedAt, now)})
            </span>
            {hovered.account.status.nextRenewalAt ? (
              <span>Renews {formatClock(hovered.account.status.nextRenewalAt)}</span>
            ) : null}
            <span>
              {hovered.account.expiresAt === null
                ? 'Never expires'
                : `Expires ${formatClock(hovered.account.expiresAt)} (${formatCountdown(hovered.account.expiresAt, now)})`}
            </span>
            <span>{hovered.account.status.reason}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function truncate(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, 4);
  ctx.fill();
}
