#!/usr/bin/env python3
"""Generate a synthetic but realistic crossbrief project, deterministic for a seed.

    python scripts/synth.py OUT --scale M [--seed 1]

Scales: S (the seed's size), M (500 sources, 1,000 dossiers, 10,000 claims),
L (2,000 sources, 4,000 dossiers, 40,000 claims). Sources carry article-like
text; claims quote it verbatim; some single-valued facts conflict (half of
those get a verdict); dossiers link to each other in summaries and relations.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SCALES = {"S": (5, 60, 300), "M": (500, 1000, 10000), "L": (2000, 4000, 40000)}
FIRST = "Amal Bashir Carla Dmitri Elena Farid Greta Hassan Ines Jamal Karim Lena Maya Nadia Omar Petra Rami Sami Tariq Vera Walid Yara Zaid".split()
LAST = "Haddad Khoury Mansour Nasser Saleh Aziz Darwish Farah Hakim Jaber Kassab Mahmoud Qasim Rahal Sabbagh Tahan Wehbe Yousef Zein".split()
ORG = "Council Front Brigade Committee Agency Ministry Bureau Union Network Guard Battalion Observatory".split()
ADJ = "National Free Popular Northern Southern Coastal United Independent Revolutionary Civic".split()
PLACES = "Aleppo Homs Hama Rastan Idlib Daraa Latakia Tartus Beirut Amman Ankara Paris Geneva Cairo Doha".split()
EVENTS = "meeting assault ceasefire defection protest summit offensive siege talks".split()
FILLER = [
    "Officials declined to comment on the reports.",
    "The situation remained tense throughout the day.",
    "Independent verification of the claims was not possible.",
    "Diplomats said further talks were expected next week.",
    "Residents described heavy shelling overnight.",
]


def generate(out: Path, scale: str, seed: int) -> dict[str, int]:
    n_sources, n_dossiers, n_claims = SCALES[scale]
    rng = random.Random(seed)
    outlets = [f"outlet-{i}" for i in range(max(3, n_sources // 50))]
    agencies = [f"agency-{i}" for i in range(3)]
    dossiers = _dossiers(rng, n_dossiers - len(outlets) - len(agencies))
    sources = [
        {"id": f"report-{i:05d}", "outlet": rng.choice(outlets), "facts": [], "mentions": []} for i in range(n_sources)
    ]
    claims: dict[str, list[dict]] = {d["id"]: [] for d in dossiers}
    for n in range(n_claims):
        d = dossiers[n % len(dossiers)]
        source = sources[rng.randrange(n_sources)]
        claim = _claim(rng, d, dossiers, n, source)
        claims[d["id"]].append(claim)
        source["facts"].append(claim["sentence"])
    # conflicts: every tenth person gets a second, incompatible age from another source
    verdicts: dict[str, str] = {}
    for i, d in enumerate(d for d in dossiers if d["section"] == "people"):
        if i % 10 == 0:
            source = sources[rng.randrange(n_sources)]
            age = rng.randint(60, 70)
            sentence = f"{d['alias']} was said to be {age} years old."
            claims[d["id"]].append(
                {
                    "id": "age-disputed",
                    "property": "age",
                    "value": str(age),
                    "source": source["id"],
                    "quote": sentence,
                    "sentence": sentence,
                    "said_by": "relatives",
                }
            )
            source["facts"].append(sentence)
            if i % 20 == 0:
                verdicts[d["id"]] = (
                    "  - property: age\n    status: explained\n    preferred: c0\n    note: Relatives gave an older age.\n"
                )
    _write(out, outlets, agencies, dossiers, sources, claims, verdicts, rng)
    return {"sources": n_sources, "dossiers": n_dossiers, "claims": sum(len(c) for c in claims.values())}


def _dossiers(rng: random.Random, n: int) -> list[dict]:
    out = []
    for i in range(n):
        kind = ("people", "people", "organisations", "events")[i % 4]
        if kind == "people":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last} {_roman(i)}"
            alias = f"Mr {last} {_roman(i)}"
        elif kind == "organisations":
            name = f"{rng.choice(ADJ)} {rng.choice(ORG)} {_roman(i)}"
            alias = f"the {name.split()[1]} {_roman(i)}"
        else:
            name = f"{rng.choice(PLACES)} {rng.choice(EVENTS)} {_roman(i)}"
            alias = f"the {name.split()[1]} {_roman(i)}"
        out.append({"id": f"{kind[:3]}-{i:05d}", "section": kind, "name": name, "alias": alias})
    return out


def _roman(i: int) -> str:
    # a unique, pronounceable tag so that names stay distinct and searchable
    letters = "bcdfghklmnprstvz"
    vowels = "aeiou"
    tag = ""
    i += 1
    while i:
        tag += letters[i % 16] + vowels[(i // 16) % 5]
        i //= 80
    return tag.capitalize()


def _claim(rng: random.Random, d: dict, dossiers: list[dict], n: int, source: dict) -> dict:
    if d["section"] == "people":
        kind = n % 5
        if kind == 0:
            age = rng.randint(30, 59)
            sentence = f"{d['name']}, {age}, spoke to reporters."
            return {
                "id": f"c{n}",
                "property": "age",
                "value": str(age),
                "source": source["id"],
                "quote": sentence,
                "sentence": sentence,
            }
        if kind in (1, 2):
            org = rng.choice([x for x in dossiers[:200] if x["section"] == "organisations"])
            sentence = f"{d['alias']} is a member of the {org['name']}."
            return {
                "id": f"c{n}",
                "property": "member-of",
                "value": org["id"],
                "source": source["id"],
                "quote": sentence,
                "sentence": sentence,
            }
        place = rng.choice(PLACES)
        sentence = f"{d['name']} was seen in {place} on {n % 28 + 1} July."
        return {
            "id": f"c{n}",
            "property": "location" if kind == 3 else "residence",
            "value": place,
            "source": source["id"],
            "quote": sentence,
            "sentence": sentence,
        }
    if d["section"] == "organisations":
        size = rng.randint(100, 20000)
        sentence = f"The {d['name']} has about {size} members, according to {d['alias']}."
        return {
            "id": f"c{n}",
            "property": "size" if n % 2 else "description",
            "value": str(size) if n % 2 else f"group of {size}",
            "source": source["id"],
            "quote": sentence,
            "sentence": sentence,
        }
    deaths = rng.randint(1, 500)
    sentence = f"At least {deaths} people were killed in the {d['name']}, activists said."
    return {
        "id": f"c{n}",
        "property": "casualties" if n % 2 else "outcome",
        "value": f"{{min: {deaths}}}" if n % 2 else f"{deaths} dead",
        "source": source["id"],
        "quote": sentence,
        "sentence": sentence,
        "said_by": "activists",
    }


def _write(out: Path, outlets, agencies, dossiers, sources, claims, verdicts, rng) -> None:
    for folder in ("briefings/people", "briefings/organisations", "briefings/events", "sources"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for org in outlets + agencies:
        kind = "outlet" if org.startswith("outlet") else "news-agency"
        (out / f"briefings/organisations/{org}.yaml").write_text(
            f"name: {org.replace('-', ' ').title()}\nkind: {kind}\n"
        )
    for d in dossiers:
        lines = [f"name: {d['name']}", f"aliases: [{d['alias']}]"]
        if d["section"] != "people":
            lines.append(f"kind: {'group' if d['section'] == 'organisations' else 'battle'}")
        if d["section"] == "events":
            lines.append(f"date: 2012-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        other = dossiers[(int(d["id"][4:]) * 7 + 3) % len(dossiers)]
        lines.append(f"summary: |\n  Linked to [[{other['id']}]] in several reports.")
        seen = set()
        body = []
        for c in claims[d["id"]]:
            cid = c["id"] if c["id"] not in seen else f"{c['id']}-{len(seen)}"
            seen.add(cid)
            said = f"\n        said_by: {c['said_by']}" if c.get("said_by") else ""
            body.append(
                f"  - id: {cid}\n    property: {c['property']}\n    value: {c['value']}\n    sources:\n"
                f'      - source: {c["source"]}\n        quote: "{c["quote"]}"{said}'
            )
        if body:
            lines.append("claims:\n" + "\n".join(body))
        if d["id"] in verdicts:
            first_age = next(
                (c["id"] for c in claims[d["id"]] if c["property"] == "age" and c["id"] != "age-disputed"), None
            )
            if first_age:
                lines.append("disagreements:\n" + verdicts[d["id"]].replace("preferred: c0", f"preferred: {first_age}"))
        (out / f"briefings/{d['section']}/{d['id']}.yaml").write_text("\n".join(lines) + "\n")
    for s in sources:
        paragraphs = []
        facts = list(s["facts"])
        rng.shuffle(facts)
        for i in range(0, max(len(facts), 1), 3):
            paragraphs.append(" ".join(facts[i : i + 3] + [rng.choice(FILLER)]))
        via = f"\nvia: [{rng.choice(agencies)}]" if rng.random() < 0.3 else ""
        (out / f"sources/{s['id']}.md").write_text(
            f"---\ntitle: Report {s['id'][7:]} on the fighting\noutlet: {s['outlet']}\npublished: 2012-07-{int(s['id'][7:]) % 28 + 1:02d}{via}\n---\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
    (out / "briefings/synthetic.yaml").write_text(
        f"title: Synthetic briefing\ndate: 2012-07-31\nsummary: |\n  A synthetic briefing about [[{dossiers[0]['id']}]].\n"
        f'key_points:\n  - "[[{dossiers[0]["id"]}]] and [[{dossiers[1]["id"]}]]"\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", choices=SCALES, default="S")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(args.out, args.scale, args.seed)
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
