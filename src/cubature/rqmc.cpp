// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#include "qmcsim/cubature/rqmc.hpp"

namespace qmcsim {

std::vector<double> sum_blocks(const std::vector<std::vector<double>>& blocks) {
  std::vector<double> sums;
  for (const auto& replication : blocks) {
    CompensatedSum total;
    for (double b : replication) total.add(b);
    sums.push_back(total.value());
  }
  return sums;
}

ReplicatedEstimate combine_replications(const std::vector<double>& sums, std::uint64_t points) {
  detail::require(!sums.empty() && points > 0, "combine_replications: need at least one replication and one point");
  ReplicatedEstimate estimate;
  estimate.points = points;
  estimate.replications = sums.size();
  CompensatedSum total;
  for (double s : sums) {
    estimate.replicate_means.push_back(s / static_cast<double>(points));
    total.add(estimate.replicate_means.back());
  }
  const double R = static_cast<double>(sums.size());
  estimate.mean = total.value() / R;
  if (sums.size() > 1) {
    double squares = 0;
    for (double mu : estimate.replicate_means) squares += (mu - estimate.mean) * (mu - estimate.mean);
    estimate.standard_error = std::sqrt(squares / (R * (R - 1)));
  }
  return estimate;
}

namespace detail {

void check_rqmc_cubature(const RqmcCubatureOptions& options, std::size_t replications, std::uint64_t max_points,
                         bool random_replications) {
  const char* where = "rqmc_cubature";
  require_tolerances(where, options.absolute_tolerance, options.relative_tolerance);
  require_in_range(where, "log2_max_points", options.log2_max_points, 0, 63);
  require_in_range(where, "log2_min_points", options.log2_min_points, 0, options.log2_max_points);
  require(max_points >= (std::uint64_t{1} << options.log2_max_points), where, ": 2^log2_max_points = 2^",
          options.log2_max_points, " exceeds the generator's ", max_points, " points");
  require(options.confidence > 0 && options.confidence < 1, where, ": confidence = ", options.confidence, " is outside (0, 1)");
  require(replications >= 2, where, ": at least 2 replications are needed for an error estimate, got ", replications);
  // Unrandomized replications are copies of one point set: their spread is 0 whatever the error.
  require(random_replications, where, ": the points have randomization 'none', so their ", replications,
          " replications are the same points and their spread (0) says nothing of the error: randomize them");
}

OutputTolerances output_tolerances(const RqmcCubatureOptions& options, const OutputTolerances& tolerances, std::size_t outputs) {
  OutputTolerances out = tolerances;
  if (out.absolute.empty()) out.absolute.assign(outputs, options.absolute_tolerance);
  if (out.relative.empty()) out.relative.assign(outputs, options.relative_tolerance);
  require(out.absolute.size() == outputs && out.relative.size() == outputs, "rqmc_vector_cubature: ",
          out.absolute.size(), " absolute and ", out.relative.size(), " relative tolerances for ", outputs,
          " outputs (give one per output, or none)");
  for (std::size_t j = 0; j < outputs; ++j)
    require_tolerances(("rqmc_vector_cubature: output " + std::to_string(j)).c_str(), out.absolute[j], out.relative[j]);
  return out;
}

}  // namespace detail
}  // namespace qmcsim
