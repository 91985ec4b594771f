export * from './engine-api';
