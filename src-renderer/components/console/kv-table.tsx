import type { Row } from './console-model';

/**
 * An editable table of name/value pairs (query parameters, headers, form fields).
 *
 * There is always one empty row at the end: typing in it adds a row. Unticked rows are kept
 * but not sent.
 */
export function KvTable({
  rows,
  onChange,
  label,
  namePlaceholder = 'Name',
}: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  label: string;
  namePlaceholder?: string;
}) {
  const shown = [...rows, { name: '', value: '', enabled: true }];
  const update = (index: number, patch: Partial<Row>) => {
    const next = shown.map((row, i) => (i === index ? { ...row, ...patch } : row));
    onChange(next.filter((row, i) => i < rows.length || row.name !== '' || row.value !== ''));
  };
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {shown.map((row, index) => {
          const last = index === rows.length;
          return (
            <tr key={index}>
              <td className="kv__check">
                {last ? null : (
                  <input
                    type="checkbox"
                    checked={row.enabled}
                    aria-label={`Send ${row.name || 'this row'}`}
                    onChange={(event) => update(index, { enabled: event.target.checked })}
                  />
                )}
              </td>
              <td>
                <input
                  className="input input--compact mono"
                  value={row.name}
                  placeholder={namePlaceholder}
                  aria-label={`${label}: name ${index + 1}`}
                  onChange={(event) => update(index, { name: event.target.value })}
                />
              </td>
              <td>
                <input
                  className="input input--compact mono"
                  value={row.value}
                  placeholder="Value"
                  aria-label={`${label}: value ${index + 1}`}
                  onChange={(event) => update(index, { value: event.target.value })}
                />
              </td>
              <td className="kv__remove">
                {last ? null : (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${row.name || `row ${index + 1}`}`}
                    onClick={() => onChange(rows.filter((_, i) => i !== index))}
                  >
                    ×
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
