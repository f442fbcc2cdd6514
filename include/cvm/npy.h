// NumPy .npy tensor files (spec/model/npy.rst).
//
// cvm reads tensors of any integer element type (and bool) in NumPy's .npy
// format, converting them exactly to the int32 values it works with, and
// writes int8 and int32 tensors, so that model inputs and outputs can be
// exchanged with Python tooling. A second entry reads float32/float64 files
// for the quantizer (its calibration and evaluation sets); floats never enter
// the integer inference path. Both readers share one strict header parser:
// they accept exactly the files the spec page describes and reject anything
// else with a LogicError naming an npy_cN label (the file is the caller's).
// They never trust a size from the file before checking it, so a hostile file
// cannot make them allocate more than the file itself holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/shape.h"

namespace cvm {

/// Element type of a .npy file cvm writes, and the narrowest of the two that
/// holds every value of a file cvm read.
enum class NpyDtype { kInt8, kInt32 };

/// An integer tensor: row-major (C order) data of `shape`. Every element type
/// is converted exactly to int32, so all share one representation. After
/// parse_npy, `dtype` is kInt8 when the file held int8 or bool elements (whose
/// values all fit int8), else kInt32, so serialize_npy writes an array cvm
/// read without loss.
struct NpyArray {
  Shape shape;                        ///< the dims, rank 1 to 6 (npy_c8 ... npy_c10)
  NpyDtype dtype = NpyDtype::kInt32;  ///< how serialize_npy writes it: int8 or int32
  std::vector<int32_t> data;          ///< the values, row-major, one per element
};

/// A float tensor read for the quantizer: row-major (C order) data of
/// `shape`, float64 elements rounded to the nearest float32.
struct NpyFloatArray {
  Shape shape;              ///< the dims, rank 1 to 6 (npy_c8 ... npy_c10)
  std::vector<float> data;  ///< the values, row-major, one per element, all finite
};

/// Parses the whole contents of a .npy file of bool or integer elements: int8,
/// int16, int32, int64, uint8, uint16, uint32 or uint64, little- or big-endian
/// ('|b1', '|i1', '|u1', '\<i4', '>u2', ...). `what` names the file in error
/// messages (e.g. its path). Throws LogicError labelled npy_c1 ... npy_c11 on
/// anything the spec does not accept (float elements are npy_c6), and npy_c14
/// naming the element (flat index, index in the shape, file offset) and its
/// value when a value is outside the int32 range or a bool byte is not 0 or 1.
NpyArray parse_npy(std::string_view bytes, std::string_view what);

/// Reads and parses the .npy file at `path` as parse_npy does. A failure to
/// open or read the file is a RuntimeError labelled "io". Reads no more of the
/// file than the checked header says the data holds (plus one byte to detect
/// trailing data).
NpyArray read_npy(const std::string& path);

/// Parses the whole contents of a .npy file of float32 or float64 elements,
/// little- or big-endian ('\<f4', '>f4', '\<f8', '>f8'), for the quantizer.
/// The same header rules and labels as parse_npy, except that npy_c6 accepts
/// only these four float types, and npy_c15 (in place of npy_c14) rejects an
/// element that is not finite or, for float64, beyond the float32 range.
NpyFloatArray parse_npy_floats(std::string_view bytes, std::string_view what);

/// Reads and parses the .npy file at `path` as parse_npy_floats does; I/O
/// errors and reading as read_npy.
NpyFloatArray read_npy_floats(const std::string& path);

/// Serialises `a` as a version 1.0 .npy file: descr '<i4' or '|i1',
/// fortran_order False, the header padded with spaces and ended by '\n' so the
/// data starts at a multiple of 64 bytes. Throws LogicError when `a` could not
/// be read back: its shape violates npy_c8 ... npy_c10, its dtype is not one of
/// the enumerators or its data does not hold exactly |shape| values (npy_c12),
/// or an int8 value is outside [-128, 127] (npy_c13).
std::string serialize_npy(const NpyArray& a);

/// Serialises `a` (as serialize_npy) and writes it to `path`, replacing the
/// file. A failure to write is a RuntimeError labelled "io".
void write_npy(const std::string& path, const NpyArray& a);

}  // namespace cvm
