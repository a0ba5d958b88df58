// A broken install for the error test: the native binding cannot load.
throw new Error('the native binding onnxruntime_binding.node is missing (test double)');
