import type { Rectangle } from 'electron';

const MIN_VISIBLE = 100;

/**
 * Returns the saved bounds when at least a 100×100 corner of them is on one of the work areas.
 *
 * A window saved on a monitor that has since been unplugged would otherwise open out of sight.
 */
export function visibleBounds(
  saved: Rectangle | undefined,
  workAreas: Rectangle[],
): Rectangle | undefined {
  if (!saved) return undefined;
  const onScreen = workAreas.some((area) => {
    const width = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const height =
      Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    return width >= MIN_VISIBLE && height >= MIN_VISIBLE;
  });
  return onScreen ? saved : undefined;
}
