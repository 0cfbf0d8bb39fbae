"""A small binding to libclang's C API (cffi, ABI mode): parse C text, return plain data.

Passes that must know what the code *means* (which argument goes with which parameter,
which fields are used) cannot trust a token heuristic, so they ask clang itself. This
module is the only place that talks to libclang: it parses an in-memory text, walks the
AST once and returns frozen dataclasses whose spans are ``str`` indices into that text.

Only what is written in the main file, outside any macro expansion, gets a span: a span
is None when clang's location is in a header, in a macro body or in a macro argument,
because a pass could not edit it as text. Passes then leave that entity alone.

ABI mode (``ffi.cdef`` + ``ffi.dlopen``) needs no C compiler at install time. libffi
passes and returns the small CXCursor/CXSourceRange/CXString structs by value on x86_64
in both directions, including as arguments of the ``clang_visitChildren`` callback, so
the API is used as documented (checked by tests/test_libclang.py).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cffi

Span = tuple[int, int]

_CDEF = """
typedef struct { int kind; int xdata; const void *data[3]; } CXCursor;
typedef struct { int kind; void *data[2]; } CXType;
typedef struct { const void *ptr_data[2]; unsigned int_data; } CXSourceLocation;
typedef struct {
    const void *ptr_data[2]; unsigned begin_int_data; unsigned end_int_data;
} CXSourceRange;
typedef struct { const void *data; unsigned private_flags; } CXString;
typedef struct { unsigned count; CXSourceRange *ranges; } CXSourceRangeList;
struct CXUnsavedFile { const char *Filename; const char *Contents; unsigned long Length; };
typedef void *CXIndex;
typedef struct CXTranslationUnitImpl *CXTranslationUnit;
typedef void *CXFile;
typedef void *CXDiagnostic;
typedef int (*CXCursorVisitor)(CXCursor cursor, CXCursor parent, void *client_data);

CXIndex clang_createIndex(int excludeDeclarationsFromPCH, int displayDiagnostics);
void clang_disposeIndex(CXIndex index);
int clang_parseTranslationUnit2(CXIndex index, const char *source_filename,
    const char *const *command_line_args, int num_command_line_args,
    struct CXUnsavedFile *unsaved_files, unsigned num_unsaved_files,
    unsigned options, CXTranslationUnit *out_TU);
void clang_disposeTranslationUnit(CXTranslationUnit unit);
typedef struct CXIndexOptions {
    unsigned Size;
    unsigned char ThreadBackgroundPriorityForIndexing;
    unsigned char ThreadBackgroundPriorityForEditing;
    unsigned ExcludeDeclarationsFromPCH : 1;
    unsigned DisplayDiagnostics : 1;
    unsigned StorePreamblesInMemory : 1;
    unsigned Reserved : 13;
    const char *PreambleStoragePath;
    const char *InvocationEmissionPath;
} CXIndexOptions;
CXIndex clang_createIndexWithOptions(const CXIndexOptions *options);
int clang_reparseTranslationUnit(CXTranslationUnit unit, unsigned num_unsaved_files,
    struct CXUnsavedFile *unsaved_files, unsigned options);
unsigned clang_defaultReparseOptions(CXTranslationUnit unit);

unsigned clang_getNumDiagnostics(CXTranslationUnit unit);
CXDiagnostic clang_getDiagnostic(CXTranslationUnit unit, unsigned index);
int clang_getDiagnosticSeverity(CXDiagnostic diagnostic);
CXString clang_getDiagnosticSpelling(CXDiagnostic diagnostic);
void clang_disposeDiagnostic(CXDiagnostic diagnostic);

const char *clang_getCString(CXString string);
void clang_disposeString(CXString string);

CXCursor clang_getTranslationUnitCursor(CXTranslationUnit unit);
unsigned clang_visitChildren(CXCursor parent, CXCursorVisitor visitor, void *client_data);
CXString clang_getCursorSpelling(CXCursor cursor);
CXSourceLocation clang_getCursorLocation(CXCursor cursor);
CXSourceRange clang_getCursorExtent(CXCursor cursor);
CXCursor clang_getCursorReferenced(CXCursor cursor);
unsigned clang_hashCursor(CXCursor cursor);
unsigned clang_isCursorDefinition(CXCursor cursor);
unsigned clang_Cursor_isVariadic(CXCursor cursor);
int clang_Cursor_getNumArguments(CXCursor cursor);
CXCursor clang_Cursor_getArgument(CXCursor cursor, unsigned index);
CXType clang_getCursorType(CXCursor cursor);
CXType clang_getCanonicalType(CXType type);
CXCursor clang_getTypeDeclaration(CXType type);
CXType clang_getArrayElementType(CXType type);
unsigned clang_isVolatileQualifiedType(CXType type);
int clang_Cursor_getStorageClass(CXCursor cursor);

CXSourceLocation clang_getRangeStart(CXSourceRange range);
CXSourceLocation clang_getRangeEnd(CXSourceRange range);
int clang_Location_isFromMainFile(CXSourceLocation location);
void clang_getExpansionLocation(CXSourceLocation location, CXFile *file, unsigned *line,
    unsigned *column, unsigned *offset);
CXFile clang_getFile(CXTranslationUnit unit, const char *file_name);
CXSourceRangeList *clang_getSkippedRanges(CXTranslationUnit unit, CXFile file);
void clang_disposeSourceRangeList(CXSourceRangeList *ranges);
int clang_File_isEqual(CXFile file1, CXFile file2);
void clang_getFileLocation(CXSourceLocation location, CXFile *file, unsigned *line,
    unsigned *column, unsigned *offset);
"""

# enum CXCursorKind values used here (stable across libclang versions).
STRUCT_DECL = 2
UNION_DECL = 3
FIELD_DECL = 6
ENUM_CONSTANT_DECL = 7
FUNCTION_DECL = 8
VAR_DECL = 9
PARM_DECL = 10
MEMBER_REF = 47  # `.field` in a designated initializer, offsetof's member
DECL_REF_EXPR = 101
MEMBER_REF_EXPR = 102
CALL_EXPR = 103
INIT_LIST_EXPR = 119
COMPOUND_STMT = 202
TRANSLATION_UNIT = 350
FIRST_ATTR = 400
LAST_ATTR = 499  # the attribute kinds are 400-441 in libclang 19; leave room for new ones

_RECURSE = 2  # CXChildVisit_Recurse
_CONTINUE = 1
_BREAK = 0
_KEEP_GOING = 0x200  # CXTranslationUnit_KeepGoing: a full AST despite errors
_PREPROCESSING_RECORD = 0x01  # CXTranslationUnit_DetailedPreprocessingRecord: skipped ranges
_IGNORE_HEADER_WARNINGS = 0x4000  # CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles
_IMPLICIT_ATTRIBUTES = 0x2000  # CXTranslationUnit_VisitImplicitAttributes: spots builtins
_SEVERITY_ERROR = 3  # CXDiagnostic_Error (Fatal is 4)
# Canonical type kinds of things initialised with a nested brace list (records, arrays,
# vectors): a scalar in their place in an initializer list means brace elision.
_AGGREGATE_TYPES = frozenset({105, 112, 113, 114, 115, 116, 176})
_RECORD_TYPE = 105
_ARRAY_TYPES = frozenset({112, 114})  # CXType_ConstantArray, CXType_IncompleteArray
# Canonical type kinds of variables that hold one number: bool, the character and integer
# kinds, float/double/long double, pointers and enums.
_SCALAR_TYPES = frozenset({*range(3, 24), 101, 106})
_SC_EXTERN = 2  # CX_StorageClass's CX_SC_Extern

DEFAULT_ARGS = ("-x", "c", "-std=gnu17", "-w", "-ferror-limit=0")
MAIN_FILE = "reducer-input.c"
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_VERSIONS = (19, 22, 21, 20, 18, 17, 16, 15, 14)


class LibclangUnavailable(RuntimeError):
    """No loadable libclang: passes built on it yield nothing."""


# -- the parsed data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    name: str  # "" when unnamed (prototypes)
    location: int | None  # of the name (or of the type when unnamed)
    extent: Span | None  # `const char *s`, without the separating comma


@dataclass(frozen=True)
class Function:
    name: str
    location: int | None  # of the name; None for declarations in headers or macros
    extent: Span | None
    is_definition: bool
    is_variadic: bool
    params: tuple[Parameter, ...]
    body: Span | None = None  # the `{ ... }` of a definition
    # clang attached attributes of its own: a library builtin like fabs or memcpy, whose
    # signature clang checks, or a declaration under an attribute pragma.
    implicit_attributes: bool = False


@dataclass(frozen=True)
class Call:
    callee: str | None  # the function named by a direct call, else None
    location: int | None  # where the callee expression begins
    extent: Span | None
    args: tuple[Span | None, ...]


@dataclass(frozen=True)
class Field:
    name: str  # "" for an unnamed bit-field
    location: int | None
    extent: Span | None  # `int a` or `int a : 3`, without the `;`
    is_aggregate: bool  # array, struct or union typed


@dataclass(frozen=True)
class Record:
    kind: str  # "struct" or "union"
    name: str  # "" when unnamed
    location: int | None
    extent: Span | None
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class DeclRef:
    """A DeclRefExpr: a use of a variable, parameter, function or enumerator."""

    name: str
    location: int | None  # of this use
    target: int | None  # location of the declaration it refers to
    is_function: bool
    is_enumerator: bool = False  # refers to an enum constant


@dataclass(frozen=True)
class MemberRef:
    """`s.f`, `p->f`, a designator `.f` or offsetof's `f`."""

    location: int | None
    field: int | None  # location of the field's declaration
    # For an access `s.f`/`p->f` (not a designator): the whole expression, `p->f`.
    access: Span | None = None


@dataclass(frozen=True)
class Variable:
    """A variable's declaration (not a parameter's), global or local."""

    name: str
    location: int | None  # of the name
    extent: Span | None  # from its type (or storage class) to the end of its declarator
    is_global: bool
    is_extern: bool
    is_scalar: bool  # one number: arithmetic, pointer or enum type, not volatile


@dataclass(frozen=True)
class InitElement:
    extent: Span | None
    is_list: bool  # a nested `{...}`
    is_aggregate: bool  # of array, struct or union type (a string, a struct value)


@dataclass(frozen=True)
class InitList:
    extent: Span | None
    record: int | None  # location of the struct/union definition it initializes, if any
    elements: tuple[InitElement, ...]  # as written; for struct/union lists and array_of's
    # For a list of an array of structs/unions: the location of their definition (its
    # elements may be their lists, or their fields' values with the braces elided).
    array_of: int | None = None


@dataclass(frozen=True)
class ParsedUnit:
    text: str
    errors: tuple[str, ...]  # messages of error and fatal diagnostics
    functions: tuple[Function, ...] = ()
    calls: tuple[Call, ...] = ()
    records: tuple[Record, ...] = ()
    decl_refs: tuple[DeclRef, ...] = ()
    member_refs: tuple[MemberRef, ...] = ()
    init_lists: tuple[InitList, ...] = ()
    variables: tuple[Variable, ...] = ()
    _referenced: frozenset[int] = field(default=frozenset(), repr=False)

    @property
    def ok(self) -> bool:
        """Did the text compile cleanly? Passes only trust the AST of code that does."""
        return not self.errors

    def is_referenced(self, location: int | None) -> bool:
        """Does any expression or designator refer to the declaration at `location`?"""
        return location is not None and location in self._referenced


# -- loading -------------------------------------------------------------------------------


def _candidate_libraries() -> list[str]:
    names = [f"libclang-{version}.so.1" for version in _VERSIONS]
    for version in _VERSIONS:
        directory = f"/usr/lib/llvm-{version}/lib"
        names += [f"{directory}/libclang-{version}.so.1", f"{directory}/libclang.so.1"]
    return [*names, "libclang.so.1", "libclang.so"]


class _Library:
    def __init__(self, ffi: cffi.FFI, lib: Any, path: str) -> None:
        self.ffi = ffi
        self.lib = lib
        self.path = path
        # One callback for the life of the process: each ffi.callback allocates executable
        # memory, so creating one per parse would churn it thousands of times.
        self.visitor = ffi.callback("CXCursorVisitor", _visit, error=_BREAK)


_library: _Library | None = None
_load_error: LibclangUnavailable | None = None
_load_lock = threading.Lock()


def load() -> _Library:
    """The loaded library (loaded once; a failure is remembered, not retried)."""
    global _library, _load_error
    with _load_lock:
        if _library is not None:
            return _library
        if _load_error is not None:
            raise _load_error
        ffi = cffi.FFI()
        ffi.cdef(_CDEF)
        explicit = os.environ.get("REDUCER_LIBCLANG")
        candidates = [explicit] if explicit else _candidate_libraries()
        for name in candidates:
            try:
                lib = ffi.dlopen(name)
                lib.clang_createIndex  # noqa: B018 - an unrelated libclang.so fails here
            except (OSError, AttributeError):
                continue
            _library = _Library(ffi, lib, name)
            return _library
        where = f"REDUCER_LIBCLANG={explicit}" if explicit else "libclang-19.so.1 or another"
        _load_error = LibclangUnavailable(
            f"libclang not loadable ({where}): install the Debian package libclang1-19"
        )
        raise _load_error


def available() -> bool:
    try:
        load()
    except LibclangUnavailable:
        return False
    return True


# -- offsets -------------------------------------------------------------------------------


class _Offsets:
    """UTF-8 byte offsets (what clang reports) to str indices. Parsed as its preamble +
    rest (preamble_and_rest), an offset past ``preamble`` is moved back to where the
    rest starts in the text (``rest_at``), and one inside it is None (the leading
    directives, rewritten: nothing a pass edits is there)."""

    def __init__(self, text: str, data: bytes, preamble: str = "", rest_at: int = 0) -> None:
        self.index: list[int] | None = None
        parsed = preamble + text[rest_at:] if preamble else text
        if len(data) != len(parsed):
            index: list[int] = []
            for position, char in enumerate(parsed):
                index.extend([position] * len(char.encode("utf-8", "surrogatepass")))
            index.append(len(parsed))
            self.index = index
        self.skipped, self.shift = len(preamble), rest_at - len(preamble)

    def __call__(self, byte_offset: int) -> int | None:
        position = byte_offset if self.index is None else self.index[byte_offset]
        if position < self.skipped:
            return None
        return position + self.shift


# -- the walk ------------------------------------------------------------------------------


class _Collector:
    """Receives every cursor of the main file once and keeps what passes need."""

    def __init__(self, library: _Library, offsets: _Offsets, main_file: Any) -> None:
        self.ffi = library.ffi
        self.lib = library.lib
        self.offsets = offsets
        self.main_file = main_file
        self.offset_out = self.ffi.new("unsigned *")
        self.file_out = self.ffi.new("CXFile *")
        self.error: BaseException | None = None
        self.functions: list[Function] = []
        self.bodies: dict[int, Span] = {}
        self.implicit_attributes: set[int] = set()  # locations of functions that have some
        self.calls: list[Call] = []
        self.records: list[tuple[str, str, int | None, Span | None]] = []
        self.fields: dict[int, list[Field]] = {}
        self.decl_refs: list[DeclRef] = []
        self.member_refs: list[MemberRef] = []
        self.variables: list[Variable] = []
        self.init_lists: list[tuple[Span | None, int | None, int, int | None]] = []
        # Elements of the struct/union initializer lists, by clang_hashCursor of the list.
        self.elements: dict[int, list[InitElement]] = {}
        # A record defined inside a field's type (`struct { int x; } in;`) is visited twice:
        # as the field's child and as its parent's. Keep the first visit only.
        self.seen: set[tuple[int, int]] = set()

    # Locations --------------------------------------------------------------------------

    def offset(self, location: Any) -> int | None:
        """str index of a location written in the main file, else None.

        clang_Location_isFromMainFile is false for headers and for any macro location
        (a macro's FileID is not the main file's), so one call rules out both.
        """
        lib = self.lib
        if not lib.clang_Location_isFromMainFile(location):
            return None
        null = self.ffi.NULL
        lib.clang_getFileLocation(location, null, null, null, self.offset_out)
        return self.offsets(self.offset_out[0])

    def expanded_in_main_file(self, cursor: Any) -> bool:
        """Is the cursor written in the main file, or expanded there from a macro?"""
        null = self.ffi.NULL
        location = self.lib.clang_getCursorLocation(cursor)
        self.lib.clang_getExpansionLocation(location, self.file_out, null, null, null)
        return bool(self.lib.clang_File_isEqual(self.file_out[0], self.main_file))

    def location(self, cursor: Any) -> int | None:
        return self.offset(self.lib.clang_getCursorLocation(cursor))

    def extent(self, cursor: Any) -> Span | None:
        lib = self.lib
        extent = lib.clang_getCursorExtent(cursor)
        start = self.offset(lib.clang_getRangeStart(extent))
        if start is None:
            return None
        end = self.offset(lib.clang_getRangeEnd(extent))
        return None if end is None or end < start else (start, end)

    def spelling(self, cursor: Any) -> str:
        lib = self.lib
        string = lib.clang_getCursorSpelling(cursor)
        try:
            raw = lib.clang_getCString(string)
            return "" if raw == self.ffi.NULL else self.ffi.string(raw).decode("utf-8", "replace")
        finally:
            lib.clang_disposeString(string)

    def canonical_type(self, cursor: Any) -> Any:
        return self.lib.clang_getCanonicalType(self.lib.clang_getCursorType(cursor))

    # The visitor ------------------------------------------------------------------------

    def visit(self, cursor: Any, parent: Any) -> int:
        kind = cursor.kind
        parent_kind = parent.kind
        if parent_kind == TRANSLATION_UNIT and not self.expanded_in_main_file(cursor):
            # Declarations from headers: nothing in them can be edited, so they are not
            # walked; functions are still listed (without spans) so that a pass knows
            # a prototype it cannot change exists. Code a macro expands in the main file
            # is walked: its calls and member accesses count even if it has no spans.
            if kind == FUNCTION_DECL:
                self.functions.append(Function(self.spelling(cursor), None, None, False, False, ()))
            return _CONTINUE
        if parent_kind == INIT_LIST_EXPR:
            self.element(cursor, parent)
        elif FIRST_ATTR <= kind <= LAST_ATTR:
            # An attribute clang made up has no location. Redeclaring a library function
            # (`double fabs(double);`) does not make it an ordinary function: clang marks
            # it a builtin with an implicit attribute and rejects a changed signature.
            owner = self.location(parent) if parent_kind == FUNCTION_DECL else None
            if owner is not None and self.location(cursor) is None:
                self.implicit_attributes.add(owner)
            return _CONTINUE
        handler = self.handlers.get(kind)
        if handler is not None:
            handler(self, cursor, parent)
        return _RECURSE

    def function(self, cursor: Any, parent: Any) -> None:
        lib = self.lib
        params = []
        for index in range(max(0, lib.clang_Cursor_getNumArguments(cursor))):
            param = lib.clang_Cursor_getArgument(cursor, index)
            params.append(Parameter(self.spelling(param), self.location(param), self.extent(param)))
        self.functions.append(
            Function(
                name=self.spelling(cursor),
                location=self.location(cursor),
                extent=self.extent(cursor),
                is_definition=bool(lib.clang_isCursorDefinition(cursor)),
                is_variadic=bool(lib.clang_Cursor_isVariadic(cursor)),
                params=tuple(params),
            )
        )

    def compound(self, cursor: Any, parent: Any) -> None:
        if parent.kind == FUNCTION_DECL:
            owner = self.location(parent)
            body = self.extent(cursor)
            if owner is not None and body is not None:
                self.bodies[owner] = body

    def call(self, cursor: Any, parent: Any) -> None:
        lib = self.lib
        callee = lib.clang_getCursorReferenced(cursor)
        name = self.spelling(callee) if callee.kind == FUNCTION_DECL else None
        args = tuple(
            self.extent(lib.clang_Cursor_getArgument(cursor, index))
            for index in range(max(0, lib.clang_Cursor_getNumArguments(cursor)))
        )
        self.calls.append(Call(name, self.location(cursor), self.extent(cursor), args))

    def decl_ref(self, cursor: Any, parent: Any) -> None:
        target = self.lib.clang_getCursorReferenced(cursor)
        self.decl_refs.append(
            DeclRef(
                self.spelling(cursor),
                self.location(cursor),
                self.location(target),
                target.kind == FUNCTION_DECL,
                target.kind == ENUM_CONSTANT_DECL,
            )
        )

    def member_ref(self, cursor: Any, parent: Any) -> None:
        target = self.lib.clang_getCursorReferenced(cursor)
        access = self.extent(cursor) if cursor.kind == MEMBER_REF_EXPR else None
        self.member_refs.append(MemberRef(self.location(cursor), self.location(target), access))

    def variable(self, cursor: Any, parent: Any) -> None:
        lib = self.lib
        kind = self.canonical_type(cursor)
        self.variables.append(
            Variable(
                self.spelling(cursor),
                self.location(cursor),
                self.extent(cursor),
                parent.kind == TRANSLATION_UNIT,
                lib.clang_Cursor_getStorageClass(cursor) == _SC_EXTERN,
                kind.kind in _SCALAR_TYPES and not lib.clang_isVolatileQualifiedType(kind),
            )
        )

    def record(self, cursor: Any, parent: Any) -> None:
        if not self.lib.clang_isCursorDefinition(cursor):
            return  # `struct s;` or `struct s *p` naming a tag declares no fields
        location = self.location(cursor)
        if location is not None:
            if (STRUCT_DECL, location) in self.seen:
                return
            self.seen.add((STRUCT_DECL, location))
        name = self.spelling(cursor)
        if not _IDENTIFIER.fullmatch(name):
            name = ""  # clang spells unnamed ones "struct (unnamed at file:1:2)"
        kind = "struct" if cursor.kind == STRUCT_DECL else "union"
        self.records.append((kind, name, location, self.extent(cursor)))

    def field(self, cursor: Any, parent: Any) -> None:
        owner = self.location(parent)
        location = self.location(cursor)
        if owner is None or location is None or (FIELD_DECL, location) in self.seen:
            return
        self.seen.add((FIELD_DECL, location))
        self.fields.setdefault(owner, []).append(
            Field(
                self.spelling(cursor),
                location,
                self.extent(cursor),
                self.canonical_type(cursor).kind in _AGGREGATE_TYPES,
            )
        )

    def init_list(self, cursor: Any, parent: Any) -> None:
        lib = self.lib
        key = lib.clang_hashCursor(cursor)
        record = array_of = None
        canonical = self.canonical_type(cursor)
        if canonical.kind == _RECORD_TYPE:
            record = self.location(lib.clang_getTypeDeclaration(canonical))
            # Lists are visited before their elements, so this marks whose elements to keep.
            self.elements[key] = []
        elif canonical.kind in _ARRAY_TYPES:
            element = lib.clang_getCanonicalType(lib.clang_getArrayElementType(canonical))
            if element.kind == _RECORD_TYPE:
                array_of = self.location(lib.clang_getTypeDeclaration(element))
                self.elements[key] = []
        self.init_lists.append((self.extent(cursor), record, key, array_of))

    def element(self, cursor: Any, parent: Any) -> None:
        # libclang visits the syntactic form of an initializer list, so its children are
        # the elements as written. Only those of struct/union lists are kept (arrays of
        # scalars make up most elements in generated code and no pass needs them).
        elements = self.elements.get(self.lib.clang_hashCursor(parent))
        if elements is not None:
            elements.append(
                InitElement(
                    self.extent(cursor),
                    cursor.kind == INIT_LIST_EXPR,
                    self.canonical_type(cursor).kind in _AGGREGATE_TYPES,
                )
            )

    handlers = {  # noqa: RUF012 - a constant dispatch table
        FUNCTION_DECL: function,
        COMPOUND_STMT: compound,
        CALL_EXPR: call,
        DECL_REF_EXPR: decl_ref,
        MEMBER_REF_EXPR: member_ref,
        MEMBER_REF: member_ref,
        STRUCT_DECL: record,
        UNION_DECL: record,
        FIELD_DECL: field,
        INIT_LIST_EXPR: init_list,
        VAR_DECL: variable,
    }

    def unit(self, text: str, errors: tuple[str, ...]) -> ParsedUnit:
        functions = tuple(
            Function(
                f.name,
                f.location,
                f.extent,
                f.is_definition,
                f.is_variadic,
                f.params,
                self.bodies.get(f.location) if f.is_definition and f.location is not None else None,
                f.location in self.implicit_attributes,
            )
            for f in self.functions
        )
        records = tuple(
            Record(kind, name, location, extent, tuple(self.fields.get(location, ())))
            if location is not None
            else Record(kind, name, None, extent, ())
            for kind, name, location, extent in self.records
        )
        init_lists = tuple(
            InitList(extent, record, tuple(self.elements.get(key, ())), array_of)
            for extent, record, key, array_of in self.init_lists
        )
        referenced = {ref.target for ref in self.decl_refs if ref.target is not None}
        referenced |= {ref.field for ref in self.member_refs if ref.field is not None}
        return ParsedUnit(
            text=text,
            errors=errors,
            functions=functions,
            calls=tuple(self.calls),
            records=records,
            decl_refs=tuple(self.decl_refs),
            member_refs=tuple(self.member_refs),
            init_lists=init_lists,
            variables=tuple(self.variables),
            _referenced=frozenset(referenced),
        )


def _visit(cursor: Any, parent: Any, client_data: Any) -> int:
    assert _library is not None
    collector: _Collector = _library.ffi.from_handle(client_data)
    try:
        return collector.visit(cursor, parent)
    except BaseException as error:  # re-raised after the walk: never unwind through C
        collector.error = error
        return _BREAK


# -- parsing -------------------------------------------------------------------------------


def _errors(library: _Library, unit: Any) -> tuple[str, ...]:
    lib, ffi = library.lib, library.ffi
    messages = []
    for index in range(lib.clang_getNumDiagnostics(unit)):
        diagnostic = lib.clang_getDiagnostic(unit, index)
        try:
            if lib.clang_getDiagnosticSeverity(diagnostic) >= _SEVERITY_ERROR:
                string = lib.clang_getDiagnosticSpelling(diagnostic)
                try:
                    messages.append(ffi.string(lib.clang_getCString(string)).decode("utf-8"))
                finally:
                    lib.clang_disposeString(string)
        finally:
            lib.clang_disposeDiagnostic(diagnostic)
    return tuple(messages)


def parse(text: str, extra_args: Sequence[str] = ()) -> ParsedUnit:
    """The AST facts of `text` parsed as C (``DEFAULT_ARGS`` + `extra_args`).

    Raises LibclangUnavailable when no libclang loads. Cached: the passes of one round
    parse the same text in turn.
    """
    return _parse_cached(text, tuple(extra_args))


@lru_cache(maxsize=8)
def _parse_cached(text: str, extra_args: tuple[str, ...]) -> ParsedUnit:
    """Through this thread's reparsed unit when the text starts with #include lines, as
    errors_of does (msgspec.c: 58 parses of <Python.h> and the text, 13 s a reduction);
    else, or when that unit is gone, afresh."""
    library = load()
    preamble, rest = preamble_and_rest(text)
    reparsed = _reparsed(library, extra_args, preamble) if preamble else None
    if reparsed is not None:
        data = (preamble + rest).encode("utf-8", "surrogatepass")
        offsets = _Offsets(text, data, preamble, len(text) - len(rest))
        walked = reparsed.walk(data, lambda unit, name: _walk(library, unit, name, text, offsets))
        if walked is not None:
            return walked
    data = text.encode("utf-8", "surrogatepass")
    with _translation_unit(library, data, extra_args) as (unit, filename_or_failure):
        if unit is None:
            return ParsedUnit(text, (filename_or_failure,))
        return _walk(library, unit, filename_or_failure, text, _Offsets(text, data))


def _walk(library: _Library, unit: Any, filename: Any, text: str, offsets: _Offsets) -> ParsedUnit:
    """The AST facts of a parsed unit, its locations as indices into ``text``."""
    lib, ffi = library.lib, library.ffi
    errors = _errors(library, unit)
    main_file = lib.clang_getFile(unit, filename)
    collector = _Collector(library, offsets, main_file)
    handle = ffi.new_handle(collector)
    cursor = lib.clang_getTranslationUnitCursor(unit)
    lib.clang_visitChildren(cursor, library.visitor, handle)
    if collector.error is not None:
        raise collector.error
    return collector.unit(text, errors)


def errors_of(text: str, extra_args: Sequence[str] = ()) -> tuple[str, ...]:
    """The error diagnostics of `text` parsed as C, and nothing else (no AST walk, so
    about the front end's own cost: ~1-4 ms on a small file against ~60 ms for a clang
    process). Raises LibclangUnavailable when no libclang loads. Thread-safe: each thread
    parses with its own index and unit (cffi releases the GIL while libclang works).

    Each thread keeps a unit per preamble (its last UNITS_PER_THREAD) and reparses it
    with the next text (``_Reparsed``): libclang then keeps the headers the text's
    leading `#include` lines read as a precompiled preamble, so a candidate that only
    changes what follows them does not parse them again (a file that includes
    <Python.h>: 305 ms -> a few ms per check; see preamble_and_rest)."""
    library = load()
    data = text.encode("utf-8", "surrogatepass")
    preamble, rest = preamble_and_rest(text)
    reparsed = _reparsed(library, tuple(extra_args), preamble)
    if reparsed is not None:
        errors = reparsed.errors((preamble + rest).encode("utf-8", "surrogatepass"))
        if errors is not None:
            return errors
    with _translation_unit(library, data, tuple(extra_args)) as (unit, failure):
        return (failure,) if unit is None else _errors(library, unit)


# Ends libclang's preamble right after the leading #include lines (see preamble_and_rest).
PREAMBLE_BOUND = "typedef int __reducer_preamble_end;\n"
_LEADING = re.compile(
    r"""\s+ | /\*.*?\*/ | //[^\n]*
      | (?P<directive>\#[ \t]*(?P<word>\w*)(?:\\\n|[^\n])*)""",
    re.VERBOSE | re.DOTALL,
)
_BEFORE_INCLUDES = frozenset({"define", "undef", "pragma", "include", "include_next", ""})


def preamble_and_rest(text: str) -> tuple[str, str]:
    """``text`` as (its leading directives through the last #include among them, one per
    line, ending in PREAMBLE_BOUND; the rest), when it starts with #include lines
    (comments, #define, #undef and #pragma may come between); else ("", text). Parsed
    as preamble + rest it means what ``text`` means: only comments and blank lines of
    the leading run are left out.

    libclang's preamble is every directive and comment before the first token of code;
    it is reused only while that region is byte for byte the same. In a reduction the
    #define lines after the includes, the blank lines and the comments among them are
    edited all the time, and each such candidate made the worker parse the headers again
    (msgspec.c, <Python.h>: 162 of 883 checks took 150-800 ms where a reused preamble
    takes 2-25 ms). The declaration ends the preamble at the includes; it changes no
    diagnostic (errors_of reports messages, not lines)."""
    position, directives, included = 0, [], 0
    while (match := _LEADING.match(text, position)) is not None and match.end() > position:
        position = match.end()
        directive = match.group("directive")
        if directive is not None:
            word = match.group("word")
            if word not in _BEFORE_INCLUDES:
                break  # a conditional, say: what follows may not be the file's own start
            directives.append(directive)
            if word.startswith("include"):
                included, end = len(directives), position
    if not included:
        return "", text
    preamble = "".join(directive + "\n" for directive in directives[:included])
    return preamble + PREAMBLE_BOUND, text[end:]


def release_units() -> None:
    """Dispose of every thread's reparsed unit and remove its main file. A command calls
    this when it ends, so that a run inside a longer-lived process (a test, a notebook)
    leaves nothing in TMPDIR; the next errors_of simply parses afresh."""
    with _live_lock:
        units = list(_live)
    for unit in units:
        unit.close()


_PRECOMPILED_PREAMBLE = 0x04  # CXTranslationUnit_PrecompiledPreamble
_PREAMBLE_ON_FIRST_PARSE = 0x100  # CXTranslationUnit_CreatePreambleOnFirstParse
_per_thread = threading.local()
_live: weakref.WeakSet[_Reparsed] = weakref.WeakSet()  # for release_units
_live_lock = threading.Lock()


class _Reparsed:
    """One of a thread's translation units for errors_of and parse (one set of arguments,
    one preamble), parsed once and reparsed with each next text. Its index keeps the
    preamble in memory. The main file is an empty file in a private directory (libclang
    reuses a preamble only for a main file that exists on disk: without one every
    reparse read the headers again, 150-200 ms with <Python.h> against 2-3 ms); the text
    itself is passed as unsaved contents. Everything goes with close(): called by release_units, when the
    thread's locals go (its pool ended), or at exit."""

    def __init__(self, library: _Library, extra_args: tuple[str, ...]) -> None:
        lib, ffi = library.lib, library.ffi
        self.library, self.extra_args = library, extra_args
        options = ffi.new("CXIndexOptions *")
        options.Size = ffi.sizeof("CXIndexOptions")
        options.StorePreamblesInMemory = 1
        index = lib.clang_createIndexWithOptions(options)
        if index == ffi.NULL:
            raise LibclangUnavailable("clang_createIndexWithOptions failed")
        directory = tempfile.mkdtemp(prefix="reducer-libclang-")
        self._held: dict[str, Any] = {"index": index, "unit": None}
        self._finalizer = weakref.finalize(self, _release, library, self._held, directory)
        # release_units may close this object from another thread while its own thread
        # is inside errors(): one lock orders the two (uncontended otherwise).
        self._lock = threading.Lock()
        main_file = os.path.join(directory, MAIN_FILE)
        with open(main_file, "wb"):
            pass
        self._filename = ffi.new("char[]", main_file.encode())
        self._args = [ffi.new("char[]", a.encode()) for a in (*DEFAULT_ARGS, *extra_args)]
        self._argv = ffi.new("char *[]", self._args)
        with _live_lock:
            _live.add(self)

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def errors(self, data: bytes) -> tuple[str, ...] | None:
        """The errors of `data`, or the failure as one line when libclang could not parse
        it (taken as the answer: parsing it afresh would fail the same way, and report a
        crash twice); None only when this object was closed meanwhile."""
        with self._lock:
            if self.closed:
                return None
            unit = self._reparse_locked(data)
            return unit if isinstance(unit, tuple) else _errors(self.library, unit)

    def walk(self, data: bytes, visit: Callable[[Any, Any], ParsedUnit]) -> ParsedUnit | None:
        """``visit(unit, main file name)`` on `data` reparsed, under this unit's lock;
        None when this object was closed meanwhile or libclang failed (the caller parses
        afresh, for the failure's own words)."""
        with self._lock:
            if self.closed:
                return None
            unit = self._reparse_locked(data)
            return None if isinstance(unit, tuple) else visit(unit, self._filename)

    def _reparse_locked(self, data: bytes) -> Any:
        """The unit with `data` parsed, or the failure as a one-line tuple."""
        lib, ffi = self.library.lib, self.library.ffi
        contents = ffi.new("char[]", data)
        unsaved = ffi.new("struct CXUnsavedFile *")
        unsaved.Filename, unsaved.Contents, unsaved.Length = self._filename, contents, len(data)
        unit = self._held["unit"]
        if unit is None:
            out = ffi.new("CXTranslationUnit *")
            options = (
                _KEEP_GOING
                | _IGNORE_HEADER_WARNINGS
                | _IMPLICIT_ATTRIBUTES
                | _PRECOMPILED_PREAMBLE
                | _PREAMBLE_ON_FIRST_PARSE
            )
            code = lib.clang_parseTranslationUnit2(
                self._held["index"],
                self._filename,
                self._argv,
                len(self._args),
                unsaved,
                1,
                options,
                out,
            )
            if code != 0 or out[0] == ffi.NULL:
                return (f"libclang failed to parse (CXErrorCode {code})",)
            unit = self._held["unit"] = out[0]
        else:
            options = lib.clang_defaultReparseOptions(unit)
            code = lib.clang_reparseTranslationUnit(unit, 1, unsaved, options)
            if code != 0:
                lib.clang_disposeTranslationUnit(unit)  # invalid after a failure
                self._held["unit"] = None  # the next text is parsed afresh
                return (f"libclang failed to parse (CXErrorCode {code})",)
        return unit

    def close(self) -> None:
        with self._lock:
            self._finalizer()


def _release(library: _Library, held: dict[str, Any], directory: str) -> None:
    if held["unit"] is not None:
        library.lib.clang_disposeTranslationUnit(held["unit"])
        held["unit"] = None
    library.lib.clang_disposeIndex(held["index"])
    shutil.rmtree(directory, ignore_errors=True)


# Units each thread keeps, by preamble: a candidate that drops one of the includes (the
# `lines` pass tries each) makes a preamble of its own, and with one unit the next
# candidate, with the includes back, parsed the headers again too (~40 MB a unit with
# <Python.h>).
UNITS_PER_THREAD = 2


def _reparsed(library: _Library, extra_args: tuple[str, ...], preamble: str) -> _Reparsed | None:
    """This thread's reparsed unit for `extra_args` and `preamble` (the last
    UNITS_PER_THREAD of them are kept); None when this libclang cannot keep a preamble
    in memory (before LLVM 17: no clang_createIndexWithOptions)."""
    units: OrderedDict[tuple[tuple[str, ...], str], _Reparsed] | None
    units = getattr(_per_thread, "units", None)
    if units is None:
        units = _per_thread.units = OrderedDict()
    key = (extra_args, preamble)
    current = units.get(key)
    if current is not None and not current.closed and current.library is library:
        units.move_to_end(key)
        return current
    if current is not None:
        current.close()
        del units[key]
    try:
        library.lib.clang_createIndexWithOptions  # noqa: B018 - missing before LLVM 17
    except AttributeError:
        return None
    made = units[key] = _Reparsed(library, extra_args)
    while len(units) > UNITS_PER_THREAD:
        _, oldest = units.popitem(last=False)
        oldest.close()
    return made


def skipped_ranges(text: str, extra_args: Sequence[str] = ()) -> tuple[Span, ...] | None:
    """The spans of `text` the preprocessor skips (the branches of #if groups it does not
    take), as clang reports them: from the '#' of the directive that opens a skipped
    branch to the end of the directive name that closes it (`#if 0 ... #else`,
    `#else ... #endif`). None when libclang cannot parse the text at all. Raises
    LibclangUnavailable when no libclang loads. Cached like parse()."""
    return _skipped_cached(text, tuple(extra_args))


@lru_cache(maxsize=4)
def _skipped_cached(text: str, extra_args: tuple[str, ...]) -> tuple[Span, ...] | None:
    library = load()
    lib, ffi = library.lib, library.ffi
    data = text.encode("utf-8", "surrogatepass")
    offsets = _Offsets(text, data)
    options = _KEEP_GOING | _IGNORE_HEADER_WARNINGS | _PREPROCESSING_RECORD
    with _translation_unit(library, data, extra_args, options) as (unit, filename):
        if unit is None:
            return None
        ranges = lib.clang_getSkippedRanges(unit, lib.clang_getFile(unit, filename))
        offset = ffi.new("unsigned *")
        spans: list[Span] = []
        try:
            for index in range(ranges.count):
                bounds = []
                for location in (
                    lib.clang_getRangeStart(ranges.ranges[index]),
                    lib.clang_getRangeEnd(ranges.ranges[index]),
                ):
                    lib.clang_getFileLocation(location, ffi.NULL, ffi.NULL, ffi.NULL, offset)
                    bounds.append(offsets(min(offset[0], len(data))))
                spans.append((bounds[0], bounds[1]))
        finally:
            lib.clang_disposeSourceRangeList(ranges)
        return tuple(spans)


@contextmanager
def _translation_unit(
    library: _Library,
    data: bytes,
    extra_args: tuple[str, ...],
    options: int = _KEEP_GOING | _IGNORE_HEADER_WARNINGS | _IMPLICIT_ATTRIBUTES,
) -> Iterator[tuple[Any, Any]]:
    """(unit, main file name) for `data` parsed as MAIN_FILE, disposed of afterwards; when
    libclang fails to parse at all, (None, the failure as one line)."""
    lib, ffi = library.lib, library.ffi
    filename = ffi.new("char[]", MAIN_FILE.encode())
    contents = ffi.new("char[]", data)
    unsaved = ffi.new("struct CXUnsavedFile *")
    unsaved.Filename, unsaved.Contents, unsaved.Length = filename, contents, len(data)
    arg_buffers = [ffi.new("char[]", arg.encode()) for arg in (*DEFAULT_ARGS, *extra_args)]
    argv = ffi.new("char *[]", arg_buffers)
    out = ffi.new("CXTranslationUnit *")
    index = lib.clang_createIndex(0, 0)  # 0: do not print diagnostics on stderr
    try:
        code = lib.clang_parseTranslationUnit2(
            index,
            filename,
            argv,
            len(arg_buffers),
            unsaved,
            1,
            options,
            out,
        )
        if code != 0 or out[0] == ffi.NULL:
            yield None, f"libclang failed to parse (CXErrorCode {code})"
            return
        try:
            yield out[0], filename
        finally:
            lib.clang_disposeTranslationUnit(out[0])
    finally:
        lib.clang_disposeIndex(index)
