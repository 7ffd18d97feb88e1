"""Line and column of libcst nodes from one lean pass over libcst's own code generation."""

from __future__ import annotations

import inspect
import re
from bisect import bisect_right

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

from .cst_tools import _PerType


class _Spans(CodegenState):
    """One codegen pass that records where every node starts and ends, as character offsets.

    Same positions as libcst's ``PositionProvider`` (whose rules this mirrors: a node's syntactic
    range from ``record_syntactic_position`` wins over its whitespace-inclusive one), at a fraction
    of the cost: no MetadataWrapper (which visits the whole tree once more), no CodeRange per node,
    no regex per token; offsets become (line, column) only for the nodes the scanner asks about.
    Nodes are keyed by id(): CSTNode.__hash__ is a Python function, id() is not. It implements
    libcst's codegen protocol (CodegenState's hooks), as libcst's own position providers do.
    """

    def __init__(self, module: cst.Module):
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.stack: list[int] = []
        self.syntactic: dict[int, tuple[int, int]] = {}  # id -> range as PositionProvider sees it
        self.full: dict[int, tuple[int, int]] = {}  # id -> everything the node generated

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.tokens.append(token)
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # PositionProvider keeps counting the popped newline too; keep it so line starts agree

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append(self.offset)

    def after_codegen(self, node: cst.CSTNode) -> None:
        span = (self.stack.pop(), self.offset)
        key = id(node)
        self.full[key] = span
        if key not in self.syntactic:
            self.syntactic[key] = span

    def record_syntactic_position(self, node, *, start_node=None, end_node=None) -> "_Syntactic":
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    """``with state.record_syntactic_position(node)``: a plain context manager (generator ones are slow)."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _Spans, node, start_node, end_node):
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = self.state.offset

    def __exit__(self, *exc) -> None:
        known = self.state.syntactic
        start = known[id(self.start_node)][0] if self.start_node is not None else self.start
        end = known[id(self.end_node)][1] if self.end_node is not None else self.state.offset
        known[id(self.node)] = (start, end)


# Node types that generate the same code alone as in their module (no default_comma & co from the parent).
_PLAIN_CODEGEN = _PerType(lambda cls: len(inspect.signature(cls._codegen_impl).parameters) == 2)
_NEWLINE = re.compile(r"\r\n?|\n")  # as libcst's PositionProvider counts lines


class Positions:
    """A parsed module's source text and node positions (``positions[node]`` is a libcst CodeRange)."""

    def __init__(self, module: cst.Module):
        state = _Spans(module)
        module._codegen(state)
        self.module = module
        self.text = "".join(state.tokens)
        self.syntactic, self.full = state.syntactic, state.full
        self.line_starts = [0, *(match.end() for match in _NEWLINE.finditer(self.text))]

    def _position(self, offset: int) -> CodePosition:
        i = bisect_right(self.line_starts, offset) - 1
        return CodePosition(i + 1, offset - self.line_starts[i])

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        start, end = self.syntactic[id(node)]
        return CodeRange(self._position(start), self._position(end))

    def code(self, node: cst.CSTNode) -> str:
        """``module.code_for_node(node)``: a slice of the text when that is provably the same string
        (one line, so no indentation inside; a node type whose code does not depend on its parent)."""
        span = self.full.get(id(node))
        if span is not None and _PLAIN_CODEGEN[type(node)]:
            text = self.text[span[0]:span[1]]
            if "\n" not in text and "\r" not in text:
                return text
        return self.module.code_for_node(node)
