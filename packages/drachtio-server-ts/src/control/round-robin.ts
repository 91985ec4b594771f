/**
 * Groups of items under a key, each handed out in turn: the verbs table (INVITE -> the
 * connections that registered INVITE) and the appName table (my-app -> its connections).
 */
export class RoundRobin<T> {
  private readonly groups = new Map<string, { items: T[]; next: number }>();

  add(key: string, item: T): void {
    const group = this.groups.get(key) ?? { items: [], next: 0 };
    if (!group.items.includes(item)) group.items.push(item);
    this.groups.set(key, group);
  }

  /** Removes the item from every group it is in (or from the one under `only`); empty groups disappear. */
  remove(item: T, only?: string): void {
    for (const [key, group] of this.groups) {
      if (only !== undefined && key !== only) continue;
      const index = group.items.indexOf(item);
      if (index === -1) continue;
      group.items.splice(index, 1);
      if (index < group.next) group.next--;
      if (group.items.length === 0) this.groups.delete(key);
    }
  }

  /** The next item of the group, or undefined when the group is empty. */
  next(key: string): T | undefined {
    const group = this.groups.get(key);
    if (!group) return undefined;
    if (group.next >= group.items.length) group.next = 0;
    return group.items[group.next++];
  }
}
