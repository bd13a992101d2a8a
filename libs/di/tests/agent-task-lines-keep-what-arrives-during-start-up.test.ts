import { PassThrough } from 'node:stream';

import { taskLines } from '../src';

describe('taskLines', () => {
  it('keeps the lines that arrived before the worker started reading, and ends with the stream', async () => {
    // Prepare: stdin delivers every line and closes while the process is still composing
    const input = new PassThrough();
    const tasks = taskLines(input);
    input.end('{"incidentId":"INC-1","input":"a"}\n{"incidentId":"INC-2","input":"b"}\n');
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    // Act
    const read: string[] = [];
    for await (const line of tasks) read.push(line);
    // Assess
    expect(read).toEqual(['{"incidentId":"INC-1","input":"a"}', '{"incidentId":"INC-2","input":"b"}']);
  });
});
