"""The view reader of a class-based view (translate.handlers_cbv rewrites its methods): the expressions the
scanner recorded in the class's own terms (``self.kwargs["pk"]``, ``self.task``) read as the rewritten method
reads them, a prelude's ``super().dispatch(...)`` read as the next layer, and the state and request a helper
method sees (``carried``)."""

from __future__ import annotations

import ast

from .handlers_cbv import NEXT, _Edits, _substitute
from .handlers_values import Done, NotRecognised, Request


def reader_class():
    """handlers.ViewReader, reading the expressions the scanner recorded in the class's own terms (a query
    parameter's source ``self.kwargs["pk"]``) as the rewritten method does."""
    from .handlers import ViewReader

    class ClassViewReader(ViewReader):
        method_call = False  # the function inline() is reading is a method of the class (carried)

        def read(self):
            """A prelude's blocker, then what follows it (Django's generic handler), both named."""
            try:
                return super().read()
            except NotRecognised as exc:
                generic = self.route.get("generic")
                if generic and str(exc) != generic and not self.route.get("options_answer"):
                    raise NotRecognised(f"{exc} (in dispatch); then {generic}") from None
                raise

        def expr(self, node, env, fn):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == NEXT and (
                    fn.get("self_binding") or {}).get("prelude"):
                return self.next_layer(node, env, fn)
            binding = fn.get("self_binding")
            if binding and any(isinstance(n, ast.Name) and n.id in ("self", *binding["kwargs"]) and n.id not in env
                               for n in ast.walk(node)):
                edits = _Edits(ast.unparse(node))
                tree = ast.parse(edits.source, mode="eval")
                _substitute([tree.body], edits, binding)
                node = ast.parse(edits.apply().strip(), mode="eval").body
            return super().expr(node, env, fn)

        def carried(self, env) -> dict:
            """A helper method sees the state the preludes set and the request (``self.request``: View.setup's);
            a module function only its arguments."""
            if not self.method_call:
                return {}
            out = {k: v for k, v in env.items() if k.startswith("self_")}
            request = next((v for v in env.values() if isinstance(v, Request)), None)
            return out | ({"self_request": request} if request is not None and "self_request" not in out else {})

        def inline(self, target, node, env, fn):
            if target.get("unreadable"):
                raise NotRecognised(target["unreadable"])
            self.method_call = "self_binding" in target  # a method of the class (handlers_cbv rewrote it)
            return super().inline(target, node, env, fn)

        def next_layer(self, node, env, fn):
            """A prelude's ``return super().dispatch(request, ...)``: the next layer (a prelude, then the method's
            handler) read with the arguments passed and the state set so far; its responses answer the view."""
            if not fn["next"] and self.route.get("options_answer"):  # View.options: 200, its Allow
                self.stmts.append(self.route["options_answer"])
                return Done()
            if not fn["next"]:  # Django's generic handler
                raise NotRecognised(self.route["generic"])
            target = self.functions[fn["next"]]
            tree = ast.parse(target["source"]).body[0]
            names = [a.arg for a in tree.args.args]
            if len(node.args) > len(names) or any(isinstance(a, ast.Starred) for a in node.args):
                raise NotRecognised(f"super().dispatch() of {self.helper() or 'dispatch'}: its arguments")
            local = {k: v for k, v in env.items() if k.startswith("self_")}
            local.update({names[i]: self.expr(a, env, fn) for i, a in enumerate(node.args)})
            for kw in node.keywords:
                if kw.arg not in names or kw.arg in local:
                    raise NotRecognised(f"super().dispatch(): keyword {kw.arg}")
                local[kw.arg] = self.expr(kw.value, env, fn)
            if missing := [n for n in names if n not in local]:
                raise NotRecognised(f"super().dispatch() does not pass {missing[0]}")
            saved = self.depth, self.answering
            self.depth = self.answering = self.depth + 1
            self.helpers.append(tree.name)
            try:
                out = self.run(tree.body, local, target)
            finally:
                (self.depth, self.answering), _ = saved, self.helpers.pop()
            if not isinstance(out, Done):
                raise NotRecognised(f"{tree.name}() does not return a response on every path")
            return out

    return ClassViewReader
