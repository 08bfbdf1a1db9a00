#!/usr/bin/env python3
"""Build data/eval/english-profiles: reviewer-style expert profiles (own paper abstracts) and
self-rated expertise (1-5) for submitted papers, in the shape of Stelmakh et al.'s gold-standard data.

Papers and abstracts are hand-written (ep/*.py). Ratings are derived from each expert's hand-written
self-assessment per fine topic (aff); topics not listed default to 2 in the expert's own area and 1
elsewhere; a paper with a secondary topic gets max(aff[primary], aff[secondary] - 1); OVERRIDES hold
individual judgements. Which ~10 papers each expert rates is chosen (seeded) as a realistic mix:
up to 4 close (rating >= 4), 4 neighbouring (2-3), 2 far (1), plus forced hard cases (HARD).
"""
import os
import random
import sys

HERE = os.path.dirname(__file__)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "ep"))
from common import make_names, write_csv  # noqa: E402
import experts_bat, papers_bat, area_fluor_semi, area_mag, area_light_am, area_cat_poly  # noqa: E402,E401
import area_corr_cera_carb, area_sep_geo_sim  # noqa: E402,E401

OUT = os.path.join(HERE, "..", "..", "data", "eval", "english-profiles")

AREA = {}
for a, fts in {
    "BAT": "ni_cathode lfp liquid_elyte solid_elyte polymer_elyte graphite_si li_metal sodium_ion battery_recycling",
    "FLUOR": "pvdf ptfe fluoro_membrane fluoro_chem", "SEMI": "sic_growth sic_device gan_epi",
    "MAG": "ndfeb magnet_sim magnet_recycling", "LIGHT": "al_casting al_precip mg_alloy ti_alloy",
    "AM": "am_lpbf am_sim", "CAT": "co2_hydrog electrocat zeolite", "POLY": "cfrp thermoset nanocomposite",
    "CORR": "corr_steel corr_coating", "CERA": "sintering piezo", "CARB": "cvd_graphene porous_carbon",
    "SEP": "solvent_extraction li_brine", "GEO": "li_geology ree_geology", "SIM": "dft cfd_process ml_materials",
    "MISC": "misc_bms misc_env misc_refractory misc_bio misc_lca misc_civil misc_agri misc_mech",
}.items():
    for ft in fts.split():
        AREA[ft] = a

EXPERTS = (experts_bat.EXPERTS + area_fluor_semi.EXPERTS + area_mag.EXPERTS + area_light_am.EXPERTS +
           area_cat_poly.EXPERTS + area_corr_cera_carb.EXPERTS + area_sep_geo_sim.EXPERTS)
PAPERS = (papers_bat.PAPERS + area_fluor_semi.PAPERS + area_mag.PAPERS + area_light_am.PAPERS +
          area_cat_poly.PAPERS + area_corr_cera_carb.PAPERS + area_sep_geo_sim.PAPERS)

# misc hard-case papers: who knows something about them
MISC_AFF = {
    "misc_bms": {k: 2 for k in ["ni_cathode_deg", "lfp_synthesis", "elyte_additives", "sulfide_se", "si_anode",
                                "li_metal", "sodium_ion", "lib_recycling", "battery_dft"]},
    "misc_env": {"li_brine_dle": 2, "zeolite": 2, "supercap_carbon": 2, "ree_solvent_extraction": 1},
    "misc_refractory": {"sintering_transparent": 3, "piezo": 2, "sic_pvt": 1},
    "misc_bio": {"cvd_graphene": 2, "dielectric_nanocomposite": 2},
    "misc_lca": {"al_casting": 2, "lib_recycling": 2, "magnet_recycling": 2},
    "misc_civil": {"stainless_pitting": 3, "coatings_corr": 3},
    "misc_agri": {"ree_clay_geology": 3, "li_pegmatite": 2},
    "misc_mech": {"cfd_reactor": 2, "am_thermal_model": 2, "al_7xxx": 1, "al_casting": 1},
}
# individual judgements that differ from the topic rule: (expert key, paper key) -> rating
OVERRIDES = {
    ("ni_cathode_deg", "b04"): 4,          # reactor engineering of precursors, not degradation
    ("ni_cathode_deg", "b08"): 2,          # LCA of LFP routes
    ("lfp_synthesis", "b08"): 3,
    ("lfp_synthesis", "b06"): 5, ("lfp_synthesis", "b09"): 5,
    ("elyte_additives", "b12"): 4,         # salt synthesis rather than electrolyte function
    ("elyte_additives", "b14"): 5,
    ("sulfide_se", "b15"): 4, ("sulfide_se", "b16"): 4,  # oxide / composite electrolytes
    ("sulfide_se", "b19"): 3,              # NASICON computation
    ("li_metal", "b26"): 5,
    ("sodium_ion", "b32"): 3,              # techno-economics
    ("lib_recycling", "b36"): 4,           # dismantling, not chemistry
    ("battery_dft", "b19"): 5, ("battery_dft", "x04"): 4, ("battery_dft", "x09"): 3,
    ("pvdf_membrane", "f02"): 3,           # piezo films, same polymer different expertise
    ("pvdf_membrane", "f03"): 4, ("pvdf_membrane", "f04"): 5,
    ("fluoropolymer_synth", "f07"): 3, ("fluoropolymer_synth", "f08"): 3,
    ("fluoropolymer_synth", "f01"): 3,
    ("pfsa_ionomer", "f10"): 4, ("pfsa_ionomer", "f12"): 4,
    ("sic_pvt", "s01"): 4, ("sic_pvt", "s03"): 5, ("sic_pvt", "s08"): 3, ("sic_pvt", "x07"): 3,
    ("sic_mosfet", "s07"): 4, ("sic_mosfet", "x03"): 4,
    ("gan_mocvd", "s10"): 4, ("gan_mocvd", "g03"): 3,
    ("ndfeb_gbd", "m02"): 3,               # coatings/corrosion of magnets
    ("ndfeb_gbd", "m06"): 3,               # phase-field modelling of sintering
    ("micromagnetics", "m06"): 4, ("micromagnetics", "m07"): 4,
    ("magnet_recycling", "m09"): 4,
    ("al_casting", "l03"): 5, ("al_casting", "a01"): 2, ("al_casting", "x08"): 2,
    ("al_7xxx", "l08"): 4, ("al_7xxx", "l07"): 4,
    ("mg_alloy", "l09"): 4, ("mg_alloy", "l11"): 4,
    ("ti_alloy", "a03"): 3,
    ("am_lpbf", "a06"): 3, ("am_lpbf", "a08"): 3, ("am_lpbf", "l16"): 4,
    ("am_thermal_model", "x06"): 3, ("am_thermal_model", "x08"): 3, ("am_thermal_model", "x05"): 3,
    ("am_thermal_model", "a01"): 3, ("am_thermal_model", "a05"): 2,
    ("co2_hydrog", "c01"): 4, ("co2_hydrog", "c07"): 3,
    ("oer_electrocat", "c05"): 4, ("oer_electrocat", "x02"): 5,
    ("zeolite", "c12"): 4,
    ("cfrp_interface", "p02"): 4,
    ("epoxy_vitrimer", "p08"): 4,
    ("dielectric_nanocomposite", "p09"): 4,
    ("stainless_pitting", "k03"): 4, ("stainless_pitting", "k04"): 4,
    ("coatings_corr", "k06"): 4, ("coatings_corr", "k07"): 4,
    ("sintering_transparent", "n04"): 4,
    ("piezo", "n06"): 4,
    ("cvd_graphene", "g04"): 4,
    ("supercap_carbon", "g05"): 4, ("supercap_carbon", "g06"): 4,
    ("ree_solvent_extraction", "e02"): 4, ("ree_solvent_extraction", "e01"): 4,
    ("li_brine_dle", "e08"): 3, ("li_brine_dle", "e11"): 3,
    ("li_pegmatite", "e11"): 4, ("li_pegmatite", "e05"): 3, ("li_pegmatite", "e14"): 3,
    ("ree_clay_geology", "e15"): 4, ("ree_clay_geology", "e14"): 4,
    ("cfd_reactor", "l03"): 4, ("cfd_reactor", "s04"): 4, ("cfd_reactor", "c03"): 4,
    ("cfd_reactor", "a06"): 4, ("cfd_reactor", "x01"): 1,
}
# hard cases each listed expert must rate: shared words, different expertise (or the reverse)
HARD = {
    "ni_cathode_deg": ["e09", "z01"], "lfp_synthesis": ["e11", "z01"], "elyte_additives": ["f14", "z02"],
    "sulfide_se": ["n03"], "si_anode": ["s03"], "li_metal": ["e10"], "sodium_ion": ["g08"],
    "lib_recycling": ["e05", "e09"], "battery_dft": ["x05", "x08", "m07"],
    "pvdf_membrane": ["f02", "b21"], "fluoropolymer_synth": ["z02", "f13"], "pfsa_ionomer": ["c07"],
    "sic_pvt": ["z03", "s07", "x07"], "sic_mosfet": ["s03", "x03"], "gan_mocvd": ["g03"],
    "ndfeb_gbd": ["e14", "m02"], "micromagnetics": ["a07", "x06"], "magnet_recycling": ["e13"],
    "al_casting": ["z05", "z08", "a01"], "al_7xxx": ["z08"], "mg_alloy": ["l09", "k08"], "ti_alloy": ["n02"],
    "am_lpbf": ["x06"], "am_thermal_model": ["x01", "x08", "z08"], "co2_hydrog": ["c03", "x05"],
    "oer_electrocat": ["x02", "f09"], "zeolite": ["z02", "c12"], "cfrp_interface": ["g06"],
    "epoxy_vitrimer": ["s07"], "dielectric_nanocomposite": ["z04", "f02"], "stainless_pitting": ["z06", "f14"],
    "coatings_corr": ["z06", "m02"], "sintering_transparent": ["z03"], "piezo": ["f02", "n06"],
    "cvd_graphene": ["z04", "g03"], "supercap_carbon": ["z02", "b30"], "ree_solvent_extraction": ["e15", "z07"],
    "li_brine_dle": ["e11", "e09"], "li_pegmatite": ["b34", "e05", "z01"], "ree_clay_geology": ["z07", "m09"],
    "cfd_reactor": ["x01", "x04", "s04"],
}
VENUES = ["Minjiang Materials Letters", "Journal of Strait Energy Materials", "Wuyi Chemical Engineering Reports",
          "Transactions on Applied Metallurgy (Fujian)", "Advanced Functional Interfaces Letters",
          "Qingliu Symposium on New Materials", "Process Materials Review", "Sanming Conference on Energy Materials"]
UNIS = ["厦门大学", "福州大学", "华侨大学", "福建师范大学", "中国科学院福建物质结构研究所", "嘉庚创新实验室",
        "天津大学", "上海交通大学", "中国科学院过程工程研究所", "中国科学院固体物理研究所", "中南大学", "北京科技大学",
        "浙江大学", "华南理工大学"]
SUBFIELD = {"battery_dft": "Computational materials science", "lib_recycling": "Hydrometallurgy",
            "sic_pvt": "Crystal growth", "piezo": "Electroceramics", "li_pegmatite": "Economic geology",
            "cfd_reactor": "Chemical engineering"}
KEYWORDS = {"sulfide_se": "solid electrolytes;sulfides;all-solid-state batteries", "zeolite": "zeolites;catalysis",
            "magnet_recycling": "rare earths;recycling", "coatings_corr": "organic coatings;EIS",
            "am_lpbf": "additive manufacturing;LPBF"}


def area_of_expert(e):
    core = [ft for ft, v in e["aff"].items() if v == 5]
    return AREA[core[0]]


def rating(e, p):
    key, ft, sec = p[0], p[1], p[2]
    if (e["key"], key) in OVERRIDES:
        return OVERRIDES[(e["key"], key)]
    if ft.startswith("misc_"):
        return MISC_AFF[ft].get(e["key"], 1)

    def aff(t):
        if t in e["aff"]:
            return e["aff"][t]
        return 2 if AREA[t] == area_of_expert(e) else 1
    r = aff(ft)
    if sec:
        r = max(r, aff(sec) - 1)
    return max(1, min(5, r))


def main():
    rng = random.Random(42)
    keys = [p[0] for p in PAPERS]
    assert len(keys) == len(set(keys))
    pk = {p[0]: p for p in PAPERS}
    for k, lst in HARD.items():
        for x in lst:
            assert x in pk, x
    for (k, x) in OVERRIDES:
        assert x in pk and any(e["key"] == k for e in EXPERTS), (k, x)
    times = {k: 0 for k in keys}
    ratings = {}
    order = list(EXPERTS)
    rng.shuffle(order)
    for e in order:
        r_all = {k: rating(e, pk[k]) for k in keys}
        chosen = list(HARD.get(e["key"], []))

        def pick(cands, n):
            cands = [c for c in cands if c not in chosen]
            rng.shuffle(cands)
            cands.sort(key=lambda c: times[c])  # prefer papers rated by few experts so far (stable sort)
            chosen.extend(cands[:n])
        fives = [k for k in keys if r_all[k] == 5]
        fours = [k for k in keys if r_all[k] == 4]
        n5 = min(len(fives), rng.choice([2, 2, 3]))
        pick(fives, n5)
        pick(fours, max(0, 4 - n5) + rng.choice([0, 1]))
        pick([k for k in keys if r_all[k] == 3], rng.choice([2, 2, 3]))
        pick([k for k in keys if r_all[k] == 2], rng.choice([1, 2, 2]))
        n_far = sum(1 for c in chosen if r_all[c] == 1)
        pick([k for k in keys if r_all[k] == 1], max(0, 2 - n_far))
        for c in chosen:
            times[c] += 1
        ratings[e["key"]] = {c: r_all[c] for c in chosen}
    # ids
    pshuf = list(PAPERS)
    rng.shuffle(pshuf)
    pid = {p[0]: f"P{i + 1:03d}" for i, p in enumerate(pshuf)}
    eshuf = list(EXPERTS)
    rng.shuffle(eshuf)
    eid = {e["key"]: f"R{i + 1:02d}" for i, e in enumerate(eshuf)}
    names = make_names(len(eshuf), seed=23)
    rows = []
    for i, e in enumerate(eshuf):
        prof = "\n\n".join(t + "\n" + a for t, a in e["papers"])
        rows.append([eid[e["key"]], names[i], rng.choice(UNIS), SUBFIELD.get(e["key"], ""),
                     KEYWORDS.get(e["key"], ""), prof])
    write_csv(os.path.join(OUT, "experts.csv"), ["id", "name", "institution", "subfield", "keywords", "profile"], rows)
    drows = []
    for p in pshuf:
        venue = rng.choice(VENUES) if rng.random() < 0.7 else ""
        drows.append([pid[p[0]], venue, p[3], p[4]])
    write_csv(os.path.join(OUT, "demands.csv"), ["id", "enterprise", "title", "description"], drows)
    q = []
    for e in eshuf:
        for k, r in sorted(ratings[e["key"]].items(), key=lambda x: pid[x[0]]):
            q.append([pid[k], eid[e["key"]], r])
    q.sort(key=lambda x: (x[0], x[1]))
    write_csv(os.path.join(OUT, "qrels.csv"), ["demand_id", "expert_id", "relevance"], q)
    # keys for audit (not used by matchers)
    write_csv(os.path.join(OUT, "..", "..", "..", "scripts", "evalsets", "ep", "id_map.csv"), ["kind", "key", "id", "topic"],
              [["expert", e["key"], eid[e["key"]], ""] for e in eshuf] +
              [["paper", p[0], pid[p[0]], p[1] + ("+" + p[2] if p[2] else "")] for p in pshuf])
    import collections
    dist = collections.Counter(x[2] for x in q)
    per = collections.Counter(x[1] for x in q)
    print(f"experts {len(eshuf)}, papers {len(pshuf)}, ratings {len(q)} {dict(sorted(dist.items()))}")
    print(f"ratings per expert {min(per.values())}-{max(per.values())}; papers rated: "
          f"{sum(1 for k in keys if times[k])}; unrated {sum(1 for k in keys if not times[k])}")
    w = [len(a.split()) for e in EXPERTS for t, a in e["papers"]] + [len(p[4].split()) for p in PAPERS]
    print(f"abstract words {min(w)}-{max(w)}, mean {sum(w) / len(w):.0f}")


if __name__ == "__main__":
    main()
