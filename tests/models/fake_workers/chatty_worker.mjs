// A confused worker for the protocol test: prints text where frames belong.
process.stdout.write('hello from a script that is not a lookalike worker\n'.repeat(4));
process.stdin.on('data', () => {});
setInterval(() => {}, 1000);
