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

}  // namespace qmcsim
