/**
 * A table of rows with column headers: the `table-wrap` box (on a phone its extra columns
 * give way to the key ones, and it scrolls sideways if it must), `<th scope="col">` headers, a row per item and optional footer rows.
 */
import type { ReactNode } from 'react';

/** One column: its header, its cells, and a class for both (e.g. "num" for amounts). */
export interface Column<T> {
  readonly header: ReactNode;
  readonly className?: string;
  readonly cell: (row: T) => ReactNode;
  /** Not a key column: hidden on a phone, where a key cell repeats it on a `phone-only` line. */
  readonly extra?: boolean;
}

const classOf = (c: { className?: string; extra?: boolean }) => [c.className, c.extra ? 'col-extra' : ''].filter(Boolean).join(' ') || undefined;

/** Attributes a row carries for tests and styles, e.g. `data-client`. */
export type RowAttributes = { readonly [name: `data-${string}`]: string | undefined };

/**
 * @example
 * <DataTable label="Charges" columns={[{ header: 'Amount', className: 'num', cell: (c) => formatMoney(c.amount) }]}
 *   rows={charges} rowKey={(c) => c.id} rowAttributes={(c) => ({ 'data-client': c.client })} />
 */
export function DataTable<T>(props: {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowAttributes?: (row: T) => RowAttributes;
  /** Rows for `<tfoot>` (totals). */
  foot?: ReactNode;
  /** Marks the table aria-busy while its rows are being replaced. */
  busy?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table aria-label={props.label} aria-busy={props.busy}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col" className={classOf(c)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)} {...props.rowAttributes?.(row)}>
              {props.columns.map((c, i) => (
                <td key={i} className={classOf(c)}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {props.foot ? <tfoot>{props.foot}</tfoot> : null}
      </table>
    </div>
  );
}
