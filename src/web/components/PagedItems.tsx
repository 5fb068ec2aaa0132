/**
 * A paged list as a panel: its heading, the loading line or the error, a line of its own
 * when empty, the items loaded so far (one `<li>` each, rendered by the page) and "Show
 * more" while the API has a next page. Every list read a page at a time (notes, tasks,
 * notifications, the activity log) is shown through it, with usePaged.
 */
import { Fragment, type ReactNode } from 'react';
import { ShowMore, type Loaded, type PagedList } from './ui.js';
import { ShowList } from './ShowList.js';

/**
 * @example
 * const [tasks] = usePaged((after) => api.tasks(after), []);
 * <PagedItems title="Tasks" value={tasks} what="tasks" empty="No tasks to show." className="rows">
 *   {(t) => <li className="row-item">{t.title}</li>}
 * </PagedItems>
 */
export function PagedItems<T extends { readonly id: string }>(props: {
  title: ReactNode;
  value: Loaded<PagedList<T>>;
  what: string;
  empty: ReactNode;
  /** The list's class (its look). */
  className: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <section className="panel">
      <h2>{props.title}</h2>
      <ShowList value={props.value} what={props.what} empty={props.empty}>
        {(d) => (
          <>
            <ul className={props.className}>
              {d.items.map((item) => (
                <Fragment key={item.id}>{props.children(item)}</Fragment>
              ))}
            </ul>
            <ShowMore list={d} what={props.what} />
          </>
        )}
      </ShowList>
    </section>
  );
}
