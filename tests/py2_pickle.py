"""Pickles as Python 2's cPickle wrote them with protocol 2, for the CIFAR-10 python batches.

The real ``cifar-10-batches-py`` files were written by ``cPickle.dump(d, f, 2)`` under Python 2 with
NumPy 1.x. Python 3's pickle cannot write them: it has no py2 ``str`` (its protocol-2 ``bytes`` become
``_codecs.encode(...)`` calls), its memo starts at 0, and NumPy 2 names ``numpy._core``. So the opcodes
are assembled here, following cPickle's rules:

* PROTO 2; a py2 ``str`` (given here as ``bytes``) is SHORT_BINSTRING ``U`` below 256 bytes, else
  BINSTRING ``T`` with a 4-byte little-endian length;
* ints are BININT1 ``K`` (0..255), BININT2 ``M`` (..65535), else BININT ``J`` (signed 4 bytes);
  ``None`` is ``N``, ``False`` NEWFALSE; tuples of 1-3 items TUPLE1-3, longer ones MARK ... TUPLE;
* dicts and lists are EMPTY_DICT/EMPTY_LIST, then MARK ... SETITEMS/APPENDS per 1,000 items
  (a lone item is SETITEM/APPEND);
* the memo starts at 1 (BINPUT ``q``, LONG_BINPUT ``r`` from 256); cPickle memoises only objects some
  other object also holds, so dicts, lists, the strings in them, globals and reduced objects get a PUT,
  while what a ``__reduce__`` builds on the fly (its tuples, ``'u1'``, the raw data string) and strings
  shorter than 2 bytes get none;
* an ``ndarray`` is NumPy 1.x's ``__reduce__``: ``numpy.core.multiarray._reconstruct(numpy.ndarray,
  (0,), 'b')`` then BUILD with ``(1, shape, dtype, is_fortran, raw)``; its dtype is ``numpy.dtype('u1',
  0, 1)`` then BUILD with ``(3, '|', None, None, None, -1, -1, 0)``.

Checked against the real ``batches.meta``: ``py2_dumps(CIFAR10_META)`` is its 158 bytes, MD5
5ff9c542aee3614f3951f8cda6e48888 (torchvision's ``CIFAR10.meta``); and against NumPy's own py2
fixtures (``\\x80\\x02cnumpy.core.multiarray\\n_reconstruct\\nq\\x01cnumpy\\nndarray\\nq\\x02K\\x00\\x85U\\x01b
\\x87Rq\\x03(K\\x01K\\x04\\x85cnumpy\\ndtype\\nq\\x04U\\x02u1K\\x00K\\x01\\x87Rq\\x05(K\\x03U\\x01|NNNJ\\xff\\xff\\xff
\\xffJ\\xff\\xff\\xff\\xffK\\x00tb\\x89U\\x04\\x01\\x02\\x03\\x04tb.`` is ``array([1, 2, 3, 4], 'u1')``).
"""

from __future__ import annotations

import struct

import numpy as np

BATCHSIZE = 1000  # cPickle's items per MARK ... APPENDS / SETITEMS

CIFAR10_LABEL_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse",
                       b"ship", b"truck"]
CIFAR10_META = {b"num_cases_per_batch": 10000, b"label_names": CIFAR10_LABEL_NAMES, b"num_vis": 3072}
"""batches.meta, keys in the order Python 2's dict wrote them."""


class _Py2Pickler:
    def __init__(self) -> None:
        self.out = bytearray(b"\x80\x02")
        self.memo = 0
        self.globals: dict[tuple[str, str], int] = {}

    def put(self) -> int:
        self.memo += 1
        self.out += b"q" + bytes([self.memo]) if self.memo < 256 else b"r" + struct.pack("<I", self.memo)
        return self.memo

    def get(self, index: int) -> None:
        self.out += b"h" + bytes([index]) if index < 256 else b"j" + struct.pack("<I", index)

    def save(self, obj: object, *, held: bool = True) -> None:
        """``held``: another object holds ``obj`` too, so cPickle memoises it (strings of 2+ bytes)."""
        if obj is None:
            self.out += b"N"
        elif isinstance(obj, bool):
            self.out += b"\x88" if obj else b"\x89"
        elif isinstance(obj, int):
            if 0 <= obj < 256:
                self.out += b"K" + bytes([obj])
            elif 0 <= obj < 65536:
                self.out += b"M" + struct.pack("<H", obj)
            else:
                self.out += b"J" + struct.pack("<i", obj)
        elif isinstance(obj, bytes):
            self.out += (b"U" + bytes([len(obj)]) if len(obj) < 256 else b"T" + struct.pack("<I", len(obj))) + obj
            if held and len(obj) >= 2:
                self.put()
        elif isinstance(obj, tuple):
            if not obj:
                self.out += b")"
                return
            if len(obj) > 3:
                self.out += b"("
            for item in obj:
                self.save(item, held=False)
            self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}.get(len(obj), b"t")
        elif isinstance(obj, list):
            self.out += b"]"
            self.put()
            self._batched([(item,) for item in obj], b"a", b"e")
        elif isinstance(obj, dict):
            self.out += b"}"
            self.put()
            self._batched(list(obj.items()), b"s", b"u")
        elif isinstance(obj, np.ndarray):
            self._ndarray(obj)
        else:
            raise TypeError(f"py2_dumps cannot write {type(obj).__name__}")

    def _batched(self, items: list[tuple], one: bytes, many: bytes) -> None:
        """Each item's parts (a list element; a key and its value), as cPickle's batch_list/batch_dict."""
        for start in range(0, len(items), BATCHSIZE):
            chunk = items[start:start + BATCHSIZE]
            if len(chunk) > 1:
                self.out += b"("
            for item in chunk:
                for part in item:
                    self.save(part)
            self.out += one if len(chunk) == 1 else many

    def _global(self, module: str, name: str) -> None:
        if (module, name) in self.globals:
            self.get(self.globals[module, name])
        else:
            self.out += b"c" + f"{module}\n{name}\n".encode()
            self.globals[module, name] = self.put()

    def _ndarray(self, array: np.ndarray) -> None:
        if array.dtype != np.uint8 or not array.flags.c_contiguous:
            raise TypeError("py2_dumps writes C-contiguous uint8 arrays only")
        self._global("numpy.core.multiarray", "_reconstruct")
        self._global("numpy", "ndarray")
        self.save((0,), held=False)
        self.save(b"b", held=False)
        self.out += b"\x87R"  # _reconstruct(*(ndarray, (0,), 'b')): TUPLE3 over the class on the stack
        self.put()
        self.out += b"("
        self.save(1)
        self.save(tuple(array.shape), held=False)
        self._global("numpy", "dtype")
        self.save((b"u1", 0, 1), held=False)
        self.out += b"R"
        self.put()
        self.save((3, b"|", None, None, None, -1, -1, 0), held=False)
        self.out += b"b"
        self.save(False)
        self.save(array.tobytes(), held=False)
        self.out += b"tb"


def py2_dumps(obj: object) -> bytes:
    """``obj`` as Python 2's ``cPickle.dumps(obj, 2)`` wrote it, ``bytes`` standing for py2 ``str``
    and dicts written in their iteration order."""
    pickler = _Py2Pickler()
    pickler.save(obj)
    return bytes(pickler.out) + b"."
