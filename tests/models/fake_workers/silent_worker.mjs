// A stuck worker for the timeout test: reads its input and never answers.
process.stdin.on('data', () => {});
setInterval(() => {}, 1000);
