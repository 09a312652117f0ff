/** The Tokendeck mark: a small fanned deck of cards, drawn with the current colour. */
export function DeckIcon({ size = 24 }: { size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 32 32"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <rect
        x="4"
        y="9"
        width="15"
        height="19"
        rx="3"
        transform="rotate(-12 11.5 18.5)"
        opacity="0.45"
      />
      <rect x="9" y="6" width="15" height="19" rx="3" opacity="0.7" />
      <rect x="13" y="4" width="15" height="19" rx="3" transform="rotate(10 20.5 13.5)" />
      <circle cx="20.5" cy="13.5" r="2.5" transform="rotate(10 20.5 13.5)" />
    </svg>
  );
}
