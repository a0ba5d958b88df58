#include "embed/embedder_setup.h"

#include "lookalike/common/error.h"
#include "lookalike/common/parallel.h"

namespace lookalike::cli {

OnnxWorkerOptions worker_options_for(const EmbedderOptions& options, const std::string& model_path,
                                     const std::string& input_name, const std::string& output_name) {
  OnnxWorkerOptions worker;
  worker.model_path = model_path;
  worker.input_name = input_name;
  worker.output_name = output_name;
  worker.threads = thread_count(options.model_threads);
  worker.startup_timeout_seconds = options.startup_timeout_seconds;
  worker.run_timeout_seconds = options.batch_timeout_seconds;
  return worker;
}

const WorkerTensorInfo& float_output(const WorkerMetadata& model, const std::string& name, const std::string& who) {
  const WorkerTensorInfo* output = model.output(name);
  if (!output)
    fail(ErrorKind::Corrupt,
         who + "output.name is \"" + name + "\", the model's outputs are " + describe_tensors(model.outputs));
  if (!output->type.empty() && output->type != "float32")
    fail(ErrorKind::Corrupt, who + "output " + output->name + " is " + output->type + "; lookalike reads float32");
  return *output;
}

}  // namespace lookalike::cli
