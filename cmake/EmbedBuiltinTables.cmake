# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# The library's built-in tables (the default lattice generating vector and Joe-Kuo's Sobol'
# direction numbers), turned from their text files in data/ into headers under <output_dir>, for
# every build that compiles the readers (the library and the fuzz targets).
include(EmbedGeneratingVector)
include(EmbedSobolDirections)
function(qmcsim_embed_builtin_tables root output_dir)
  qmcsim_embed_generating_vector("${root}/data/lattice/cbc-power2-m10-20-d1000.txt"
    "${output_dir}/lattice/default_generating_vector.hpp")
  qmcsim_embed_sobol_directions("${root}/data/sobol/new-joe-kuo-6.21201.txt"
    "${output_dir}/digital_net/joe_kuo_directions.hpp")
endfunction()
