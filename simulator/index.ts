export * from './smsc/index.ts';
export * from './modem/index.ts';
