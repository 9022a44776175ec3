"""Expected visits along the loops of a chain, for every edge at once, through a feedback set.

Sherman–Morrison on a step ``i`` that a lead can come back to needs ``A^-1[j, i]`` for each
edge ``i -> j`` on the loop (:mod:`models.simulation.rankone`). One column of ``A^-1`` per
step of a loop costs a solve per step; instead, with ``F`` a set of steps whose removal
leaves no loop (the heads or the tails of the back edges of a depth-first search, whichever
are fewer) and ``R`` the rest, the block formulas of the inverse give every such entry from
``|F|`` solves and ``|F|`` transposed solves with the acyclic block ``A_RR``::

    P = A_RR^-1 A_RF,  Q = A_FR A_RR^-1,  S = A_FF - A_FR P  (the Schur complement, |F| x |F|)
    Z_RR = A_RR^-1 + P S^-1 Q,  Z_RF = -P S^-1,  Z_FR = -S^-1 Q,  Z_FF = S^-1

and ``A_RR^-1[j, i] = 0`` for an edge ``i -> j`` inside ``R`` (``R`` has no loop). The
inverse's diagonal block of a strongly connected component is the inverse of the component's
own block, so only the edges inside a component enter. The matrix ``A(u) = I - diag(s(u)) C``
depends on the binding limits ``u``; every block is then a power series in ``u - u0``, each
coefficient from the same factorisation (the product table ``(a, b, c)``: coefficient ``a``
times coefficient ``b`` adds to coefficient ``c``).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix

from .linear import chain_matrix, factor

BATCH = 16  # right-hand sides a SuperLU solve takes at once (it slows down past a few dozen)


def feedback_set(n: int, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Bool per node: a set whose removal leaves the graph ``src -> dst`` without a loop.

    >>> feedback_set(3, np.array([0, 1, 2]), np.array([1, 2, 0])).tolist()  # one loop
    [False, False, True]
    """
    order = np.argsort(src, kind="stable")
    starts = np.searchsorted(src[order], np.arange(n + 1)).tolist()
    targets = dst[order].tolist()
    state = [0] * n  # 0 unseen, 1 on the path, 2 done
    heads: list[int] = []
    tails: list[int] = []
    for root in np.unique(src).tolist():
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, starts[root])]
        while stack:
            v, k = stack[-1]
            if k < starts[v + 1]:
                stack[-1] = (v, k + 1)
                w = targets[k]
                if state[w] == 0:
                    state[w] = 1
                    stack.append((w, starts[w]))
                elif state[w] == 1:  # a back edge: every loop has one
                    heads.append(v)
                    tails.append(w)
            else:
                state[v] = 2
                stack.pop()
    chosen = min(set(heads), set(tails), key=len)
    cut = np.zeros(n, dtype=bool)
    cut[list(chosen)] = True
    return cut


def _solve(lu, rhs: np.ndarray, trans: str = "N") -> np.ndarray:
    out = np.empty_like(rhs)
    for start in range(0, rhs.shape[1], BATCH):
        out[:, start : start + BATCH] = lu.solve(
            np.ascontiguousarray(rhs[:, start : start + BATCH]), trans=trans
        )
    return out


def loop_entries(
    src: np.ndarray,
    dst: np.ndarray,
    conv: np.ndarray,
    coeffs: np.ndarray,
    inside: np.ndarray,
    table: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """Per edge row, the series (edges x M) of ``A(u)^-1[dst, src]`` for the edges ``inside``
    a strongly connected component (0 elsewhere): ``A(u) = I - diag(s(u)) C``, ``C[src, dst] =
    conv``, ``coeffs`` the series of ``s`` per node (n x M)."""
    m = coeffs.shape[1]
    entries = np.zeros((src.size, m))
    edges = np.flatnonzero(inside)
    if not edges.size:
        return entries
    a_idx, b_idx, c_idx = (t.tolist() for t in table)
    triples = list(zip(a_idx, b_idx, c_idx, strict=True))
    nodes = np.unique(np.concatenate([src[edges], dst[edges]]))
    size = nodes.size
    local = np.full(coeffs.shape[0], -1, dtype=np.int64)
    local[nodes] = np.arange(size)
    i, j = local[src[edges]], local[dst[edges]]
    cut = feedback_set(size, i, j)
    f_nodes, r_nodes = np.flatnonzero(cut), np.flatnonzero(~cut)
    where = np.empty(size, dtype=np.int64)
    where[f_nodes] = np.arange(f_nodes.size)
    where[r_nodes] = np.arange(r_nodes.size)
    s = coeffs[nodes]  # size x M
    s_r, s_f = s[r_nodes], s[f_nodes]
    c = conv[edges]

    def block(rows: np.ndarray, cols: np.ndarray) -> csr_matrix:
        pick = rows[i] & cols[j]
        return csr_matrix(
            (c[pick], (where[i[pick]], where[j[pick]])),
            shape=(int(rows.sum()), int(cols.sum())),
        )

    in_f, in_r = cut, ~cut
    c_rr, c_rf, c_fr, c_ff = (
        block(in_r, in_r),
        block(in_r, in_f),
        block(in_f, in_r),
        block(in_f, in_f),
    )
    rr = c_rr.tocoo()
    lu = factor(
        chain_matrix(r_nodes.size, rr.row, rr.col, rr.data * s_r[rr.row, 0]), rr.row, rr.col
    )
    c_rr_t = c_rr.T.tocsr()
    c_rf_dense, c_fr_dense, c_ff_dense = c_rf.toarray(), c_fr.toarray(), c_ff.toarray()
    nf, nr = f_nodes.size, r_nodes.size
    # P = A_RR^-1 A_RF and Q^T = A_RR^-T A_FR^T, coefficient by coefficient
    p = np.zeros((m, nr, nf))
    qt = np.zeros((m, nr, nf))
    for alpha in range(m):
        rhs_p = -s_r[:, alpha, None] * c_rf_dense
        rhs_q = -(s_f[:, alpha, None] * c_fr_dense).T
        for a, b, k in triples:
            if k == alpha and a != 0:  # a: the multiplier's coefficient, b: the lower one
                rhs_p += s_r[:, a, None] * (c_rr @ p[b])
                rhs_q += c_rr_t @ (s_r[:, a, None] * qt[b])
        if rhs_p.any():
            p[alpha] = _solve(lu, rhs_p)
        if rhs_q.any():
            qt[alpha] = _solve(lu, rhs_q, "T")
    q = np.transpose(qt, (0, 2, 1))  # M x F x R
    # S = A_FF - A_FR P, with A_FF = I - s_F C_FF and A_FR = -s_F C_FR
    schur = -s_f.T[:, :, None] * c_ff_dense[None]
    schur[0] += np.eye(nf)
    moved = c_fr @ p.transpose(1, 0, 2).reshape(nr, m * nf)
    moved = moved.reshape(nf, m, nf).transpose(1, 0, 2)  # M x F x F: C_FR P_b
    for a, b, k in triples:
        schur[k] += s_f[:, a, None] * moved[b]
    inverse = np.zeros((m, nf, nf))
    inverse[0] = np.linalg.inv(schur[0])
    for alpha in range(1, m):
        acc = np.zeros((nf, nf))
        for a, b, k in triples:
            if k == alpha and a != 0:
                acc += schur[a] @ inverse[b]
        inverse[alpha] = -inverse[0] @ acc
    ps = np.zeros((m, nr, nf))  # P S^-1, one product per coefficient of P (fewer, larger calls)
    for a in range(m):
        pairs = [(b, k) for a2, b, k in triples if a2 == a]
        if not pairs or not p[a].any():
            continue
        product = p[a] @ np.concatenate([inverse[b] for b, _ in pairs], axis=1)
        for column, (_, k) in enumerate(pairs):
            ps[k] += product[:, column * nf : (column + 1) * nf]
    fi, fj = cut[i], cut[j]
    wi, wj = where[i], where[j]
    both_r = np.flatnonzero(~fi & ~fj)  # Z_RR[j, i] = (P S^-1)[j] . Q[:, i]
    if both_r.size:
        left = ps[:, wj[both_r], :]  # M x E x F
        right = qt[:, wi[both_r], :]  # M x E x F
        out = np.zeros((both_r.size, m))
        for a, b, k in triples:
            out[:, k] += np.einsum("ef,ef->e", left[a], right[b])
        entries[edges[both_r]] = out
    r_to_f = np.flatnonzero(~fi & fj)  # i in R, j in F: Z_FR[j, i] = -(S^-1 Q)[j, i]
    if r_to_f.size:
        columns, back = np.unique(wi[r_to_f], return_inverse=True)
        w = np.zeros((m, nf, columns.size))
        for a, b, k in triples:
            w[k] += inverse[a] @ q[b][:, columns]
        entries[edges[r_to_f]] = -w[:, wj[r_to_f], back].T
    f_to_r = np.flatnonzero(fi & ~fj)  # i in F, j in R: Z_RF[j, i]
    entries[edges[f_to_r]] = -ps[:, wj[f_to_r], wi[f_to_r]].T
    f_to_f = np.flatnonzero(fi & fj)
    entries[edges[f_to_f]] = inverse[:, wj[f_to_f], wi[f_to_f]].T
    return entries
