import { registerClass, SessionSerializationError } from '../src';
import { deserialize, serialize } from '../src/serialization';

class Point {
  constructor(
    public x = 0,
    public y = 0,
  ) {}
  length(): number {
    return Math.hypot(this.x, this.y);
  }
}

class Account {
  private constructor(readonly owner: string) {}
  static open(owner: string): Account {
    return new Account(owner);
  }
  toJSON() {
    return { owner: this.owner.toUpperCase() };
  }
  static fromJSON(state: unknown): Account {
    return new Account((state as { owner: string }).owner.toLowerCase());
  }
}

class Unregistered {
  value = 42;
}

registerClass(Point);
registerClass(Account as never, 'Account');

describe('session serialization', () => {
  it('brings registered instances back as instances, nested anywhere', () => {
    const text = serialize({ home: new Point(3, 4), route: [new Point(1, 0)], plain: { n: 1 } });
    const back = deserialize(text) as { home: Point; route: Point[]; plain: { n: number } };
    expect(back.home).toBeInstanceOf(Point);
    expect(back.home.length()).toBe(5);
    expect(back.route[0]).toBeInstanceOf(Point);
    expect(back.plain).toEqual({ n: 1 });
  });

  it('uses toJSON and fromJSON when the class has them', () => {
    const back = deserialize(serialize({ account: Account.open('dave') })) as { account: Account };
    expect(back.account).toBeInstanceOf(Account);
    expect(back.account.owner).toBe('dave');
  });

  it('keeps the data of unregistered classes as plain objects', () => {
    const back = deserialize(serialize({ u: new Unregistered() })) as { u: unknown };
    expect(back.u).toEqual({ value: 42 });
    expect(back.u).not.toBeInstanceOf(Unregistered);
  });

  it('returns stored data of a class this process does not know as plain data', () => {
    const back = deserialize('{"a":{"$class":"NeverRegistered","$value":{"k":1}}}');
    expect(back).toEqual({ a: { k: 1 } });
  });

  it('refuses cycles with a clear error', () => {
    const data: Record<string, unknown> = {};
    data.self = data;
    expect(() => serialize(data)).toThrow(SessionSerializationError);
    const shared = { n: 1 };
    expect(() => serialize({ a: shared, b: shared })).not.toThrow();
  });

  it('refuses a second class under a taken name', () => {
    class Other {}
    expect(() => registerClass(Other, 'Point')).toThrow(/already registered as "Point"/);
    expect(() => registerClass(Point)).not.toThrow();
  });
});
