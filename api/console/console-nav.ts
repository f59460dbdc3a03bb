/** The console's sections in navigation order; each label is a catalogue key (`nav.<key>`). */
export interface NavEntry {
  readonly key: string;
  readonly href: string;
}

export const CONSOLE_NAV: readonly NavEntry[] = [
  { key: 'home', href: '/console' },
  { key: 'send', href: '/console/send' },
  { key: 'campaigns', href: '/console/campaigns' },
  { key: 'messages', href: '/console/messages' },
  { key: 'inbound', href: '/console/inbound' },
  { key: 'suppressions', href: '/console/suppressions' },
  { key: 'verifications', href: '/console/verifications' },
  { key: 'usage', href: '/console/usage' },
  { key: 'operations', href: '/console/operations' },
];
