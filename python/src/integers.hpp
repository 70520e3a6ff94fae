// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
#pragma once
// Integer arguments from Python. nanobind's casters for unsigned C++ integers treat a negative int as
// a type mismatch (a TypeError listing the signatures, without the argument's name or range), so the
// bindings take counts, indices and seeds as `Integer`, any Python int or object with __index__ (NumPy's
// integers), and convert it with `unsigned_argument`: a value out of range is a ValueError naming the
// argument and the range. Floats and bools stay type errors.

#include <Python.h>
#include <cstdint>
#include <limits>
#include <nanobind/nanobind.h>
#include <string>

namespace qmcsim::python {

/// A Python int as given (see the file comment).
struct Integer {
  std::uint64_t magnitude = 0;  ///< the value when it is in [0, 2^64)
  bool in_range = true;         ///< whether the value is in [0, 2^64)
  std::string text;             ///< the value written out when it is not
};

/// x as an unsigned integer in [low, high]; else qmcsim::error (ValueError) naming `where`, `name` and
/// the range.
std::uint64_t unsigned_argument(const Integer& x, const char* where, const char* name, std::uint64_t low = 0,
                                std::uint64_t high = std::numeric_limits<std::uint64_t>::max());

}  // namespace qmcsim::python

namespace nanobind::detail {

template <>
struct type_caster<qmcsim::python::Integer> {
  NB_TYPE_CASTER(qmcsim::python::Integer, const_name("int"))

  bool from_python(handle src, uint8_t, cleanup_list*) noexcept {
    if (PyFloat_Check(src.ptr()) || PyBool_Check(src.ptr())) return false;
    PyObject* index = PyNumber_Index(src.ptr());
    if (index == nullptr) {
      PyErr_Clear();
      return false;
    }
    int overflow = 0;  // +1 above, -1 below the range of long long
    const long long value = PyLong_AsLongLongAndOverflow(index, &overflow);
    this->value = {};
    if (overflow == 0 && value >= 0) {
      this->value.magnitude = static_cast<std::uint64_t>(value);
    } else if (overflow > 0 && (this->value.magnitude = PyLong_AsUnsignedLongLong(index), !PyErr_Occurred())) {
      // in [2^63, 2^64)
    } else {  // negative, or at least 2^64
      PyErr_Clear();
      this->value.in_range = false;
      PyObject* text = PyObject_Str(index);
      const char* utf8 = text != nullptr ? PyUnicode_AsUTF8AndSize(text, nullptr) : nullptr;
      this->value.text = utf8 != nullptr ? utf8 : "?";
      Py_XDECREF(text);
      PyErr_Clear();
    }
    Py_DECREF(index);
    return true;
  }

  static handle from_cpp(const qmcsim::python::Integer& x, rv_policy, cleanup_list*) noexcept {
    return PyLong_FromUnsignedLongLong(x.magnitude);
  }
};

}  // namespace nanobind::detail
