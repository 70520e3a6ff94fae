# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Finds libLBFGS (Debian: liblbfgs-dev) and defines LBFGS::lbfgs.
find_path(LBFGS_INCLUDE_DIR NAMES lbfgs.h)
find_library(LBFGS_LIBRARY NAMES lbfgs)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LBFGS REQUIRED_VARS LBFGS_LIBRARY LBFGS_INCLUDE_DIR)
if(LBFGS_FOUND AND NOT TARGET LBFGS::lbfgs)
  add_library(LBFGS::lbfgs UNKNOWN IMPORTED)
  set_target_properties(LBFGS::lbfgs PROPERTIES IMPORTED_LOCATION "${LBFGS_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${LBFGS_INCLUDE_DIR}")
endif()
mark_as_advanced(LBFGS_INCLUDE_DIR LBFGS_LIBRARY)
