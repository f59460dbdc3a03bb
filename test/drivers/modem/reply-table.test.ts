import { describe, expect, test } from 'vitest';
import { commandName } from '../../../drivers/modem/reply-table.ts';
import { selectProfile } from '../../../drivers/modem/index.ts';

describe('reply table keys and profiles', () => {
  test.each([
    ['AT', 'AT'],
    ['ATE0', 'E'],
    ['ATI', 'I'],
    ['AT+CPIN?', '+CPIN'],
    ['AT+CPIN="1234"', '+CPIN'],
    ['AT+CMGS=23', '+CMGS'],
    ['AT^ICCID?', '^ICCID'],
    ['at+cmgl=4', '+CMGL'],
    ['AT+CSQ;+CREG?', '+CSQ'],
  ])('%s -> %s', (command, name) => {
    expect(commandName(command)).toBe(name);
  });

  test.each([
    ['huawei', 'E3372', 'huawei'],
    ['Quectel', 'EC25', 'quectel'],
    ['SIMCOM_Ltd', 'SIMCOM_SIM800L', 'simcom'],
    ['Generic', 'Virtual GSM Modem', 'generic'],
  ])('%s %s uses the %s profile', (manufacturer, model, profile) => {
    expect(selectProfile(manufacturer, model).name).toBe(profile);
  });
});
