// Every subcommand registers itself on the root CLI::App through one of
// these functions (called from main.cpp, in the order --help lists them).
#pragma once

namespace CLI {
class App;
}

namespace lookalike::cli {

void add_info_command(CLI::App& app);
void add_crawl_command(CLI::App& app);
void add_embed_command(CLI::App& app);
void add_prep_command(CLI::App& app);
void add_index_command(CLI::App& app);
void add_query_command(CLI::App& app);
void add_tokenize_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_serve_command(CLI::App& app);

}  // namespace lookalike::cli
