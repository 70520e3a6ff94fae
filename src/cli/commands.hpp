// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// The subcommands of the qmcsim driver. Each returns the process exit code.

#include <string>
#include <vector>

namespace qmcsim::cli {

int run_demo(const std::vector<std::string>& words);
int run_points(const std::vector<std::string>& words);
int run_cbc(const std::vector<std::string>& words);
int run_transform(const std::vector<std::string>& words);
int run_cubature(const std::vector<std::string>& words);
int run_brownian(const std::vector<std::string>& words);
int run_sde(const std::vector<std::string>& words);
int run_diffusion(const std::vector<std::string>& words);

}  // namespace qmcsim::cli
