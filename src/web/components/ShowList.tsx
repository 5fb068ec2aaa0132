/** A loaded list: the loading line or the error (as Show renders them), a line of its own when the list is empty, otherwise its rendering. */
import type { ReactNode } from 'react';
import { Empty, Show, type Loaded } from './ui.js';

/**
 * @example
 * <ShowList value={messages} what="messages" empty="No messages to show.">
 *   {(d) => <ul>{d.items.map(...)}</ul>}
 * </ShowList>
 */
export function ShowList<L extends { readonly items: readonly unknown[] }>(props: {
  value: Loaded<L>;
  what?: string;
  empty: ReactNode;
  children: (list: L) => ReactNode;
}) {
  return (
    <Show value={props.value} what={props.what}>
      {(list) => (list.items.length === 0 ? <Empty>{props.empty}</Empty> : props.children(list))}
    </Show>
  );
}
