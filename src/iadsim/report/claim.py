"""The claim-check report: a self-contained HTML page with its plots, and the same in the terminal.

Plots (matplotlib, Agg, embedded as PNG data URIs): the predictive distribution of the number intercepted under
each meaning of the word, with the claim marked; each uncertain parameter's prior draws against its posterior
given the claim and given the evidence; the feasibility timeline of one recorded replication.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from rich.console import Group  # noqa: E402
from rich.markup import escape  # noqa: E402
from rich.table import Table  # noqa: E402

from iadsim import __version__  # noqa: E402
from iadsim.claims.check import DEFINITIONS, ClaimCheck  # noqa: E402
from iadsim.report.html import escape as escape_html, figure, page, png_data_uri  # noqa: E402

CLAIM_COLOUR, EVIDENCE_COLOUR, PRIOR_COLOUR = "tab:blue", "tab:orange", "0.75"
WRAPPING = "td { white-space: normal; }"  # claim tables hold sentences (notes, sources), not columns of numbers


def _percent(p: dict) -> str:
    return f"{100 * p['estimate' if 'estimate' in p else 'rate']:.1f} % ({100 * p['low']:.1f}–{100 * p['high']:.1f})"


def _headline(summary: dict) -> str:
    claim, face = summary["claim"], summary["face_value"]
    text = (f"Claim: {claim['intercepted']} of {claim['fired']} intercepted"
            + (f" ({claim['id']}; {claim['source']})" if claim["id"] else "")
            + f". At face value {_percent(face)}, exact 95 % interval.")
    model = summary["model"]
    if model:
        at_least = model["predictive"]["at_least_claimed"]
        draws = f" over {model['draws']} prior draws" if model["uncertain"] else "; nothing marked uncertain"
        text += (f" Under the model ({model['scenario']}, {model['replications']:,} replications{draws}) a result "
                 f"at least as good happens {_percent(at_least)} of the time.")
    return text


# ------------------------------------------------------------------------------------------------ terminal
def claim_view(check: ClaimCheck) -> Group:
    """The claim check as rich renderables: headline, meanings of the word, posteriors, feasibility."""
    summary = check.summary
    parts: list = [_headline(summary)]
    if summary["pooled"]:
        pooled = summary["pooled"]
        parts.append(f"Pooled with the dataset's claims for {', '.join(pooled['systems'])} "
                     f"({', '.join(pooled['claims'])}): {pooled['intercepted']} of {pooled['fired']} = {_percent(pooled)}.")
    model = summary["model"]
    if not model:
        linked = summary.get("linked_scenario")
        parts.append("No scenario: face value only." + (f" The dataset links this claim to the scenario {linked}: "
                     f"iadsim claim {linked} --claim {summary['claim']['id']}" if linked else ""))
        return Group(*parts)
    meanings = Table(title="What 'intercepted' means changes the number (model, per replication)", title_justify="left")
    for column in ("counted as", "mean of " + str(model["threats"]), f"P(≥ {summary['claim']['intercepted']})"):
        meanings.add_column(column, justify="left" if column == "counted as" else "right")
    for key, label, _ in DEFINITIONS:
        row = model["definitions"][key]
        meanings.add_row(label, f"{row['mean']:.2f}", _percent(row["at_least_claimed"]))
    parts.append(meanings)
    if model["posterior_given_claim"]:
        parts.append(_posterior_table(model))
    feasibility = model["feasibility"]
    lines = [f"Feasibility: {feasibility['interceptors_needed_min']} interceptors at least"
             + (f", about {feasibility['interceptors_needed_expected']:.1f} at the model's "
                f"{model['interceptors_per_kill']:.2f} per kill" if feasibility["interceptors_needed_expected"] else "")
             + f"; {feasibility['interceptors_ready']} ready, at most {feasibility['interceptors_from_reloads_max']} "
             f"more from reloads; {feasibility['fire_channels']} fire channels carry about "
             f"{feasibility['engagements_possible']:.0f} engagements in the raid window."]
    lines += [f"[bold red]⚑[/] {escape(flag)}" for flag in feasibility["flags"]] or ["[green]No resource flag.[/]"]
    parts.extend(lines)
    return Group(*parts)


def _posterior_table(model: dict) -> Table:
    given_claim, given_evidence = model["posterior_given_claim"], model["posterior_given_evidence"]
    table = Table(title=f"Uncertain parameters: median (95 % interval); draws matching the claim "
                        f"{given_claim['draws_matching']} of {given_claim['draws']}, effective sample "
                        f"{given_claim['effective_sample_size']:.0f}", title_justify="left")
    table.add_column("parameter", overflow="fold")
    table.add_column("prior")
    table.add_column("given the claim")
    table.add_column("given the evidence")
    for i, row in enumerate(given_claim["parameters"]):
        evidence = given_evidence["parameters"][i]["posterior"] if given_evidence else None
        table.add_row(escape(row["path"]), _quantiles(row["prior"]), _quantiles(row["posterior"]),
                      _quantiles(evidence) if given_evidence else "no evidence given")
    return table


def _quantiles(q: dict | None) -> str:
    if q is None:
        return "never reproduced"
    return f"{q['median']:.4g} ({q['low']:.4g}–{q['high']:.4g})"


# ------------------------------------------------------------------------------------------------ plots
def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return png_data_uri(buffer.getvalue())


def plot_predictive(summary: dict) -> str:
    model, claimed = summary["model"], summary["claim"]["intercepted"]
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=110)
    width = 0.8 / len(DEFINITIONS)
    for i, (key, label, _) in enumerate(DEFINITIONS):
        rows = model["definitions"][key]
        counts = [r["count"] for r in rows["distribution"]]
        probability = [r["probability"] for r in rows["distribution"]]
        at_least = rows["at_least_claimed"]["estimate"]
        ax.bar(np.array(counts) + (i - 1) * width, probability, width,
               label=f"{label}: P(≥ {claimed}) = {100 * at_least:.0f} %", alpha=0.9 if i == 0 else 0.6)
    ax.axvline(claimed, color="black", ls="--", lw=1.2)
    ax.annotate(f"claimed {claimed} of {summary['claim']['fired']}", (claimed, ax.get_ylim()[1] * 0.95),
                textcoords="offset points", xytext=(-6, 0), ha="right", fontsize=9)
    ax.set_xlabel("threats counted as intercepted in one replication")
    ax.set_ylabel("probability under the model")
    ax.set_title("Predictive distribution (uncertain parameters drawn from their priors)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def plot_posteriors(check: ClaimCheck) -> str | None:
    table = check.table
    if table is None or not table.parameters:
        return None
    n = len(table.parameters)
    columns = min(n, 3)
    rows = math.ceil(n / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), dpi=110, squeeze=False)
    for p, path in enumerate(table.parameters):
        ax = axes.flat[p]
        values = table.theta[:, p]
        bins = np.histogram_bin_edges(values, bins=min(20, max(5, len(values) // 4)))
        ax.hist(values, bins=bins, density=True, color=PRIOR_COLOUR, label="prior draws")
        for weights, colour, label in ((check.weights_claim, CLAIM_COLOUR, "given the claim"),
                                       (check.weights_evidence, EVIDENCE_COLOUR, "given the evidence")):
            if weights is not None and weights.sum() > 0:
                ax.hist(values, bins=bins, weights=weights, density=True, histtype="step", lw=2, color=colour,
                        label=label)
        ax.set_title(path, fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in axes.flat[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    return _png(fig)


def plot_feasibility(summary: dict) -> str:
    feasibility = summary["model"]["feasibility"]
    line = feasibility["timeline"]
    t = np.asarray(line["t_s"])
    fig, ax = plt.subplots(figsize=(9, 4), dpi=110)
    ax.step(t, line["threats_in_flight"], where="post", color="tab:red", label="threats in the air")
    ax.step(t, line["interceptors_in_flight"], where="post", color="tab:green", label="interceptors in the air")
    ax.step(t, line["interceptors_launched"], where="post", color="tab:blue", label="interceptors launched so far")
    ready, reloads = feasibility["interceptors_ready"], feasibility["interceptors_from_reloads_max"]
    ax.axhline(ready, color="tab:blue", ls="--", lw=1, label=f"ready at the start ({ready})")
    if reloads:
        ax.axhline(ready + reloads, color="tab:blue", ls=":", lw=1, label=f"with reloads in the window ({ready + reloads})")
    ax.axhline(feasibility["fire_channels"], color="tab:purple", ls="-.", lw=1,
               label=f"fire channels ({feasibility['fire_channels']})")
    needed = feasibility["interceptors_needed_min"]
    ax.axhline(needed, color="black", lw=1.5, label=f"the claim needs at least {needed}")
    ax.set_xlabel("time from scenario start (s)")
    ax.set_ylabel("count")
    ax.set_title("Feasibility timeline (one recorded replication of the scenario as written)")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return _png(fig)


# ------------------------------------------------------------------------------------------------ HTML
def write_claim_report(check: ClaimCheck, path: Path) -> Path:
    """One self-contained HTML file: headline, tables, and the plots when a scenario was run."""
    summary = check.summary
    claim, model = summary["claim"], summary["model"]
    counts = f"{claim['intercepted']} of {claim['fired']}"
    title = f"Claim check: {claim['id'] or counts}"
    sections = [f"<header><h1>{escape_html(title)}</h1><p class=\"subtitle\">iadsim {escape_html(__version__)}"
                + (f" · scenario {escape_html(model['scenario'])} · seed {escape_html(model['seed'])}" if model else "")
                + "</p></header>", f'<p class="summary">{escape_html(_headline(summary))}</p>', _face_table(summary)]
    if model:
        sections.append(figure("Predictive distribution", plot_predictive(summary),
                               "Threats counted as intercepted per replication, three ways: warhead kill, an "
                               "interceptor within lethal radius, engaged at all. The dashed line is the claim."))
        sections.append(_definitions_table(summary))
        posteriors = plot_posteriors(check)
        if posteriors:
            sections.append(figure("Uncertain parameters", posteriors,
                                   "Grey: prior draws. Blue: posterior given the claim. Orange: posterior given the "
                                   "independent evidence instead (approximate Bayesian computation, exact match)."))
            sections.append(_posterior_html(model))
        sections.append(figure("Feasibility", plot_feasibility(summary),
                               "Threats and interceptors in the air and interceptors launched in one replication, "
                               "against what the battery had and what the claim needs."))
        flags = model["feasibility"]["flags"]
        sections.append("<ul>" + "".join(f"<li>{escape_html(f)}</li>" for f in flags) + "</ul>" if flags
                        else '<p class="empty">No resource flag: the battery had what the claim needs.</p>')
        sections.append(_uncertain_html(model))
    path = Path(path)
    path.write_text(page(title, "".join(sections), WRAPPING), encoding="utf-8")
    return path


def _rows(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{escape_html(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape_html(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _face_table(summary: dict) -> str:
    face, pooled = summary["face_value"], summary["pooled"]
    rows = [["this claim", f"{face['intercepted']} of {face['fired']}", _percent(face)]]
    if pooled:
        rows.append([f"pooled: {', '.join(pooled['claims'])}", f"{pooled['intercepted']} of {pooled['fired']}",
                     _percent(pooled)])
    return "<h2>Face value</h2>" + _rows(["claim", "intercepted", "rate (95 % Clopper–Pearson)"], rows)


def _definitions_table(summary: dict) -> str:
    model, claimed = summary["model"], summary["claim"]["intercepted"]
    rows = [[label, f"{model['definitions'][key]['mean']:.2f} of {model['threats']}",
             _percent(model["definitions"][key]["at_least_claimed"])] for key, label, _ in DEFINITIONS]
    return "<h2>What the word changes</h2>" + _rows(["counted as intercepted", "mean", f"P(≥ {claimed})"], rows)


def _posterior_html(model: dict) -> str:
    claim, evidence = model["posterior_given_claim"], model["posterior_given_evidence"]
    rows = [[row["path"], _quantiles(row["prior"]), _quantiles(row["posterior"]),
             _quantiles(evidence["parameters"][i]["posterior"]) if evidence else "no evidence given"]
            for i, row in enumerate(claim["parameters"])]
    note = (f"<p>{claim['draws_matching']} of {claim['draws']} prior draws reproduced the claim at least once; "
            f"effective sample size {claim['effective_sample_size']:.0f}.</p>")
    return _rows(["parameter", "prior", "given the claim", "given the evidence"], rows) + note


def _uncertain_html(model: dict) -> str:
    rows = [[u["path"], ", ".join(f"{k}={v}" for k, v in u["prior"].items()), u["note"]] for u in model["uncertain"]]
    return "<h2>Priors</h2>" + (_rows(["parameter", "prior", "why"], rows) if rows
                                else '<p class="empty">The scenario marks nothing uncertain.</p>')
