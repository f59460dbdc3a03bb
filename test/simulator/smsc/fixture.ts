/** One simulator per test plus the ESMEs a test opens; `end()` checks every PDU received and closes everything. */
import { startSmscSimulator, type SmscSimulatorHandle, type SmscSimulatorOptions } from '../../../simulator/index.ts';
import { TestEsme, type BindCommand } from './test-esme.ts';

export class SimulatorFixture {
  sim: SmscSimulatorHandle | undefined;
  private readonly esmes: TestEsme[] = [];

  async start(options: SmscSimulatorOptions = {}): Promise<SmscSimulatorHandle> {
    this.sim = await startSmscSimulator(options);
    return this.sim;
  }

  get handle(): SmscSimulatorHandle {
    if (this.sim === undefined) throw new Error('simulator not started');
    return this.sim;
  }

  async esme(command: BindCommand = 'bind_transceiver', systemId = 'test', password = 'test'): Promise<TestEsme> {
    const esme = await TestEsme.bound(this.handle.smppPort, command, systemId, password);
    this.esmes.push(esme);
    return esme;
  }

  async connect(): Promise<TestEsme> {
    const esme = await TestEsme.connect(this.handle.smppPort);
    this.esmes.push(esme);
    return esme;
  }

  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.handle.controlUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** Well-formedness problems of every PDU the simulator sent to any ESME of this test. */
  problems(): string[] {
    return this.esmes.flatMap((e) => e.problems());
  }

  async end(): Promise<string[]> {
    const problems = this.problems();
    await Promise.all(this.esmes.map((e) => e.close()));
    this.esmes.length = 0;
    await this.sim?.close();
    this.sim = undefined;
    return problems;
  }
}
