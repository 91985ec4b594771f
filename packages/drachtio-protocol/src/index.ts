export * from './messages';
export * from './errors';
export * from './limits';
export * from './framing';
export * from './codec';
export * from './validate';
export * from './version';
export * from './message-writer';
