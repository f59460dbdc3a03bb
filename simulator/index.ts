export * from './smsc/index.ts';
