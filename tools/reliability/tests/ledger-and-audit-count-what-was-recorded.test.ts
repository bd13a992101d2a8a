import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { auditDelivery } from '../src/delivery-audit';
import { LedgerWriter, readLedger } from '../src/ledger';

describe('the ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back every appended batch and ignores a last line torn by a kill', () => {
    // Prepare
    const path = join(dir, 'ledger');
    const ledger = new LedgerWriter(path);

    // Act
    ledger.append(['a', 'b']);
    ledger.append([]);
    ledger.append(['c']);
    ledger.close();
    appendFileSync(path, 'd\ne');

    // Assess
    expect(readLedger(path)).toEqual(['a', 'b', 'c', 'd']);
    expect(readLedger(join(dir, 'absent'))).toEqual([]);
  });
});

describe('the delivery audit', () => {
  it('counts missing, duplicated and unknown ids', () => {
    // Act
    const audit = auditDelivery(['a', 'b', 'c', 'c'], ['a', 'a', 'a', 'c', 'x', 'x']);

    // Assess
    expect(audit).toEqual({ recorded: 3, delivered: 2, missing: 1, duplicated: 3, unknown: 1 });
  });
});
