#!/usr/bin/env python3
"""Builds a labelled corpus for the store: stories, their copies and rewrites.

Every story is synthetic — written here from templates over real place names
and invented officials — and appears in several forms, as news does:

  original     the wire story, on the wire's own site
  exact        the same text on another site (another URL and headline)
  repost       the wire story on another site with its own boilerplate
               (a byline, "Advertisement", "Read more", "Share this"),
               sometimes cut short by a paragraph
  rewrite      the wire story edited: a new lead sentence, two sentences
               swapped, one dropped, some words changed
  independent  another outlet's own report of the same event, in other
               words, with its own (sometimes conflicting) figures

Copies, reposts and rewrites of a story form one duplicate group; an
independent report is its own group but the same real-world event. The
labels file says both:

    doc_id <TAB> story group <TAB> event id <TAB> form

Usage:
    python3 scripts/make-store-corpus.py OUT_DIR [--stories N] [--seed S]
writes OUT_DIR/corpus.jsonl and OUT_DIR/labels.tsv (about 5.5 documents per
story on average: --stories 400 gives about 2,200 documents).
"""
import argparse
import datetime
import json
import os
import random

# Real places (the gazetteer resolves them), with the country they are in and
# who fights there. Actors and officials below are invented or generic.
THEATRES = {
    "Ukraine": {
        "places": ["Kharkiv", "Odesa", "Zaporizhzhia", "Dnipro", "Kherson", "Sumy",
                   "Mykolaiv", "Kramatorsk", "Pokrovsk", "Chernihiv", "Poltava", "Kupiansk",
                   "Sloviansk", "Kostiantynivka", "Nikopol", "Izium"],
        "attackers": ["Russian forces", "the Russian military", "Russian troops"],
        "defenders": ["Ukrainian forces", "Ukraine's armed forces", "Ukrainian troops"],
        "official": ["the regional governor", "the head of the regional military administration",
                     "the city's mayor"],
        "military": ["Ukraine's General Staff", "the Ukrainian air force", "the army's southern command"],
    },
    "Sudan": {
        "places": ["El Fasher", "Omdurman", "Khartoum", "Nyala", "El Obeid", "Kadugli", "Wad Madani"],
        "attackers": ["the Rapid Support Forces", "RSF fighters", "the paramilitary RSF"],
        "defenders": ["the Sudanese army", "army units", "government troops"],
        "official": ["a local resistance committee", "the state governor", "a medical aid group"],
        "military": ["the army's spokesman", "the Sudanese armed forces", "the army command"],
    },
    "Mali": {
        "places": ["Gao", "Timbuktu", "Mopti", "Kidal", "Menaka", "Segou"],
        "attackers": ["jihadist fighters", "militants", "armed men"],
        "defenders": ["the Malian army", "Malian soldiers", "government forces"],
        "official": ["a local official", "the regional governor", "a security source"],
        "military": ["the army's general staff", "the Malian armed forces", "the defence ministry"],
    },
    "Syria": {
        "places": ["Aleppo", "Idlib", "Homs", "Hama", "Deir ez-Zor", "Raqqa", "Daraa"],
        "attackers": ["government forces", "pro-government militias", "the Syrian army"],
        "defenders": ["rebel fighters", "opposition forces", "armed groups"],
        "official": ["a war monitor", "the local civil defence", "a hospital director"],
        "military": ["the defence ministry", "the army command", "state media"],
    },
    "Congo": {
        "places": ["Goma", "Bunia", "Beni", "Butembo", "Uvira", "Bukavu"],
        "attackers": ["M23 rebels", "ADF militants", "armed groups"],
        "defenders": ["the Congolese army", "FARDC troops", "government soldiers"],
        "official": ["the provincial governor", "a civil society leader", "a local administrator"],
        "military": ["the army spokesman", "the Congolese armed forces", "the defence ministry"],
    },
    "Somalia": {
        "places": ["Mogadishu", "Baidoa", "Kismayo", "Beledweyne", "Galkayo"],
        "attackers": ["al-Shabaab fighters", "militants", "insurgents"],
        "defenders": ["Somali forces", "the Somali army", "government troops"],
        "official": ["a police officer", "a district commissioner", "an ambulance service"],
        "military": ["the army", "the security ministry", "the police"],
    },
    "Myanmar": {
        "places": ["Mandalay", "Sittwe", "Lashio", "Myitkyina", "Hpa-an", "Sagaing"],
        "attackers": ["the military", "junta troops", "the army"],
        "defenders": ["resistance forces", "ethnic armed groups", "the Arakan Army"],
        "official": ["a local rescue group", "a resident", "a resistance spokesperson"],
        "military": ["the junta", "state media", "the military government"],
    },
}

GIVEN = ["Oleh", "Iryna", "Ahmed", "Fatima", "Moussa", "Aminata", "Samir", "Layla", "Jean",
         "Claudine", "Abdi", "Hodan", "Min", "Thida", "Serhii", "Olena", "Yusuf", "Mariam",
         "Tomas", "Nadia", "Karim", "Salma", "Pierre", "Grace", "Kyaw", "Hassan"]
FAMILY = ["Kovalenko", "Hassan", "Traore", "Diallo", "Haddad", "Mansour", "Kabila", "Mukendi",
          "Warsame", "Farah", "Aung", "Hlaing", "Melnyk", "Bondarenko", "Osman", "Idris",
          "Novak", "Saleh", "Kone", "Mbeki", "Tun", "Omar", "Lysenko", "Dembele", "Nasser"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

WIRE_HOST = "sitrepwire.example"
OUTLETS = ["dailyfront.example", "world-desk.example", "globalnews.example", "thecable.example",
           "newsroom24.example", "eastern-post.example", "regionaltimes.example",
           "conflictmonitor.example", "morningherald.example", "capitalgazette.example",
           "frontline.example", "observer-online.example"]

BOILER_TOP = ["Advertisement", "By Sitrep Wire staff", "Breaking", "World news",
              "This article is from our wire partners."]
BOILER_BOTTOM = ["Read more: our full coverage of the conflict.",
                 "Share this article: Facebook, X, WhatsApp, Email.",
                 "Sign up for our daily newsletter.", "Copyright 2025. All rights reserved.",
                 "Follow us for live updates."]

SYNONYMS = [("said", "stated"), ("killed", "left dead"), ("wounded", "injured"),
            ("attack", "assault"), ("overnight", "during the night"), ("people", "civilians"),
            ("at least", "no fewer than"), ("officials", "authorities"), ("city", "town")]


def cap(s):
    """The first letter in capitals, the rest as it is ("Russian forces",
    "RSF fighters"; str.capitalize would lower "Russian" and "RSF")."""
    return s[:1].upper() + s[1:]


def person(rng):
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def story_facts(rng, theatre, day):
    t = THEATRES[theatre]
    return {
        "theatre": theatre,
        "place": rng.choice(t["places"]),
        "near": rng.choice(t["places"]),
        "attacker": rng.choice(t["attackers"]),
        "defender": rng.choice(t["defenders"]),
        "official": rng.choice(t["official"]),
        "official_name": person(rng),
        "military": rng.choice(t["military"]),
        "spokes": person(rng),
        "day": day,
        "weekday": WEEKDAYS[day.weekday()],
        "killed": rng.randint(2, 40),
        "wounded": rng.randint(3, 90),
        "drones": rng.randint(8, 120),
        "missiles": rng.randint(1, 12),
        "clashes": rng.choice([12, 18, 25, 31, 40, 45, 52, 60, 74]),
        "detained": rng.randint(2, 30),
        "trucks": rng.randint(20, 400),
        "km": rng.choice([5, 8, 10, 12, 15, 20, 25, 30, 40]),
        "kind": rng.choice(["strike", "clashes", "shelling", "detention", "aid", "ambush",
                            "capture"]),
        "buildings": rng.randint(2, 30),
        "month_before": rng.choice(["January", "February", "March", "April", "May", "June"]),
    }


def wire_sentences(f, rng):
    """The wire story: a headline and its sentences, from the facts."""
    p, k = f["place"], f["kind"]
    when = f"on {f['weekday']}"
    if k == "strike":
        head = f"Drone and missile attack on {p} kills {f['killed']}"
        lead = (f"{cap(f['attacker'])} launched {f['drones']} drones and {f['missiles']} "
                f"missiles at {p} overnight, killing at least {f['killed']} people and wounding "
                f"{f['wounded']}, {f['official']} said {when}.")
        body = [
            f"Air defences shot down most of the drones, {f['military']} said in a statement.",
            f"\"It was a night of terror for the whole city,\" {f['official_name']} told reporters "
            f"outside a damaged apartment block.",
            f"At least {f['buildings']} buildings were damaged, including a school and a clinic.",
            f"Rescue teams were still searching the rubble on {f['weekday']} afternoon.",
            f"{p} has been hit repeatedly since {f['month_before']}.",
        ]
    elif k == "clashes":
        head = f"{f['clashes']} clashes near {p} as fighting intensifies"
        lead = (f"There were {f['clashes']} combat clashes near {p} in the past 24 hours, "
                f"{f['military']} said {when}, as {f['attacker']} pressed attacks on several axes.")
        body = [
            f"{cap(f['defender'])} repelled most of the assaults, spokesman "
            f"{f['spokes']} said on television.",
            f"The heaviest fighting was about {f['km']} km from {f['near']}, he added.",
            f"\"The enemy is not giving up its attempts to advance,\" {f['spokes']} said.",
            f"Neither side's claims could be independently verified.",
            f"Fighting in the area has escalated since {f['month_before']}.",
        ]
    elif k == "shelling":
        head = f"Shelling of {p} market kills {f['killed']}"
        lead = (f"Artillery fire struck the main market of {p} {when}, killing {f['killed']} "
                f"civilians and wounding {f['wounded']}, {f['official']} said.")
        body = [
            f"{f['official_name']} blamed {f['attacker']} for the attack.",
            f"\"There was no military target anywhere near the market,\" {f['official_name']} said.",
            f"{cap(f['military'])} denied targeting civilians.",
            f"Hospitals in {p} appealed for blood donations.",
            f"The market had reopened only in {f['month_before']} after earlier attacks.",
        ]
    elif k == "detention":
        head = f"{f['detained']} detained in {p} security sweep"
        lead = (f"Security forces detained {f['detained']} people in {p} {when} on suspicion of "
                f"helping {f['attacker']}, {f['military']} said.")
        body = [
            f"The suspects were accused of passing the positions of {f['defender']} to the enemy.",
            f"Relatives of some of those held said they had done nothing wrong.",
            f"{f['official_name']}, {f['official']}, said the raids would continue.",
            f"Human rights groups called for the detainees to be given access to lawyers.",
            f"It was the third such sweep in {p} since {f['month_before']}.",
        ]
    elif k == "aid":
        head = f"{f['trucks']} aid trucks stuck outside {p}"
        lead = (f"Some {f['trucks']} trucks carrying food and medicine were stuck outside {p} "
                f"{when} after {f['attacker']} blocked the main road, aid agencies said.")
        body = [
            f"\"People inside the city are running out of everything,\" said {f['official_name']}, "
            f"{f['official']}.",
            f"The road to {f['near']} has been closed for {f['km']} days.",
            f"{cap(f['military'])} said the convoy would be allowed through once it was "
            f"inspected.",
            f"The United Nations called for unhindered humanitarian access.",
            f"Prices of bread and fuel in {p} have tripled since {f['month_before']}.",
        ]
    elif k == "capture":
        head = f"{cap(f['attacker'])} claim capture of {p}"
        lead = (f"{cap(f['attacker'])} captured {p} {when} after days of heavy fighting, "
                f"their commanders said.")
        body = [
            f"\"The town is fully under our control,\" a commander said in a video.",
            f"The claim could not be independently verified.",
            f"Fighting around {p} had intensified since {f['month_before']}.",
            f"{f['official_name']}, {f['official']}, said most residents had fled.",
            f"Smoke was seen rising over the centre of {p} on {f['weekday']} evening.",
        ]
    else:  # ambush
        head = f"Convoy ambushed near {p}, {f['killed']} soldiers killed"
        lead = (f"{cap(f['attacker'])} ambushed a convoy of {f['defender']} about "
                f"{f['km']} km from {p} {when}, killing at least {f['killed']} soldiers, "
                f"{f['official']} said.")
        body = [
            f"The attackers seized weapons and burned several vehicles, {f['official_name']} said.",
            f"{cap(f['military'])} confirmed the attack but gave no toll.",
            f"The convoy was carrying fuel and food to a garrison near {f['near']}.",
            f"It was the second ambush on the road since {f['month_before']}.",
            f"Residents said many families had left villages along the route.",
        ]
    return head, lead, body


def independent_sentences(f, rng):
    """Another outlet's own report of the same event: other words, and
    sometimes other figures."""
    p, k = f["place"], f["kind"]
    killed = f["killed"] + rng.choice([0, 0, 2, 3, 5])
    if k == "strike":
        return (f"{p} hit by {f['drones']} drones",
                [f"{p} came under a massive drone and missile barrage in the early hours of "
                 f"{f['weekday']}.",
                 f"Local authorities put the death toll at {killed}, with dozens more hurt.",
                 f"Witnesses described explosions across several districts and fires that burned "
                 f"for hours.",
                 f"The attack was blamed on {f['attacker']}."])
    if k == "clashes":
        alt = f["clashes"] + rng.choice([-15, -10, 5, 8])
        return (f"Heavy fighting reported around {p}",
                [f"Fierce battles raged around {p} through {f['weekday']}, with {f['defender']} "
                 f"reporting {max(alt, 3)} clashes with {f['attacker']}.",
                 f"Our correspondent near the front heard constant artillery.",
                 f"Military analysts say the area is a key objective."])
    if k == "shelling":
        return (f"Deadly strike on {p} marketplace",
                [f"A crowded marketplace in {p} was shelled on {f['weekday']}.",
                 f"Medics counted {killed} dead among shoppers and traders.",
                 f"Footage showed stalls torn apart and smoke rising over the square.",
                 f"Accusations were traded over who fired the shells."])
    if k == "detention":
        return (f"Arrests in {p}",
                [f"Dozens of homes were raided in {p} on {f['weekday']} and {f['detained']} "
                 f"residents taken away, according to families.",
                 f"The authorities accuse them of collaborating with {f['attacker']}.",
                 f"Lawyers said they had not been allowed to see their clients."])
    if k == "aid":
        return (f"Aid blocked at the gates of {p}",
                [f"A long line of relief lorries waited outside {p} on {f['weekday']} as the "
                 f"road remained shut.",
                 f"Humanitarian workers blamed {f['attacker']} for the closure.",
                 f"Inside, families described eating one meal a day."])
    if k == "capture":
        # The other side's account: the attack failed.
        return (f"Attack on {p} repelled, {f['defender']} say",
                [f"{cap(f['defender'])} repelled an attack on {p} on {f['weekday']}, "
                 f"{f['military']} said.",
                 f"{f['official_name']} told reporters the defenders were holding their positions.",
                 f"Both sides reported heavy losses."])
    return (f"Soldiers die in ambush near {p}",
            [f"Gunmen attacked an army column near {p} on {f['weekday']}.",
             f"Security sources said {killed} troops died in the attack.",
             f"The assailants fled with arms and ammunition."])


CITIES_ABROAD = ["London", "Paris", "Nairobi", "Doha", "Geneva", "Warsaw", "Istanbul", "Dakar",
                 "Bangkok", "Brussels", "Cairo", "Berlin", "Vienna", "Addis Ababa"]
VISUALS = ["a column of smoke over the centre", "burnt-out cars in a courtyard",
           "people queueing for water", "a collapsed bridge", "craters in a football pitch",
           "firefighters on a roof", "a damaged hospital wing", "families sheltering in a basement"]
APPEALS = ["calm", "blood donations", "generators", "shelter for the displaced",
           "international help", "an investigation", "volunteers to clear rubble"]
LOSSES = ["her home", "his shop", "the family car", "a neighbour's house"]
KIND_NOUN = {"strike": "strikes", "clashes": "fighting", "shelling": "shelling",
             "detention": "raids", "aid": "blockade", "ambush": "ambush", "capture": "fighting"}


def background(f, rng):
    """Two to four sentences of context, each with its own facts: what makes
    two stories of one kind in one place differ, as real ones do."""
    kn = KIND_NOUN[f["kind"]]
    pool = [
        f"The {f['place']} area has seen {rng.randint(3, 60)} attacks this month, according to a "
        f"tally by local monitors.",
        f"{person(rng)}, an analyst in {rng.choice(CITIES_ABROAD)}, said the {kn} showed "
        f"{rng.choice(['a shift in tactics', 'growing pressure on the city', 'how fragile the front is', 'the limits of air defence'])}.",
        f"Electricity was cut in {rng.randint(2, 14)} districts of {f['place']} and water supplies "
        f"were disrupted.",
        f"About {rng.randint(2, 90) * 10} families fled to {f['near']} after the {kn}, a relief "
        f"worker said.",
        f"Ceasefire talks, last held in {rng.choice(CITIES_ABROAD)} in {f['month_before']}, have "
        f"made no progress.",
        f"A curfew from {rng.randint(7, 11)} p.m. to {rng.randint(4, 6)} a.m. was imposed in "
        f"{f['place']}.",
        f"Footage verified by journalists showed {rng.choice(VISUALS)}.",
        f"{cap(f['official'])} appealed for {rng.choice(APPEALS)}.",
        f"{person(rng)}, {rng.randint(19, 80)}, said the {kn} had destroyed {rng.choice(LOSSES)}.",
        f"The United Nations says {rng.randint(2, 40) * 100000:,} people in the region need aid.",
    ]
    return rng.sample(pool, rng.randint(2, 4))


def dateline(f):
    return f"{f['place'].upper()}, {f['theatre']} (Sitrep Wire) — "


def rewrite(lead, body, rng):
    body = list(body)
    if len(body) > 2:
        i = rng.randrange(len(body) - 1)
        body[i], body[i + 1] = body[i + 1], body[i]
        body.pop(rng.randrange(len(body)))
    text = " ".join([lead] + body)
    for a, b in rng.sample(SYNONYMS, 3):
        text = text.replace(a, b, 1)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--stories", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    start = datetime.date(2025, 1, 6)
    docs = []
    labels = []
    for s in range(args.stories):
        theatre = rng.choice(sorted(THEATRES))
        day = start + datetime.timedelta(days=rng.randrange(300))
        f = story_facts(rng, theatre, day)
        head, lead, body = wire_sentences(f, rng)
        body = rng.sample(body, rng.randint(3, len(body))) + background(f, rng)
        rng.shuffle(body)
        group = f"story{s:04d}"
        event = f"event{s:04d}"
        slug = head.lower().replace(" ", "-").replace(",", "")[:60]
        pub = day.isoformat()
        wire_text = dateline(f) + lead + "\n" + "\n".join(body)

        def add(form, host, title, text, published=pub, group=group):
            n = len(docs)
            doc_id = f"{group}-{form}-{n}"
            docs.append({"id": doc_id, "url": f"https://{host}/{pub}/{slug}-{n}",
                         "title": title, "published": published, "text": text})
            labels.append((doc_id, group, event, form))

        add("original", WIRE_HOST, head, wire_text)
        outlets = rng.sample(OUTLETS, 7)
        next_day = (day + datetime.timedelta(days=1)).isoformat()
        if rng.random() < 0.5:
            add("exact", outlets.pop(), head, wire_text)
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            lines = [dateline(f) + lead] + body
            if rng.random() < 0.4:
                lines = lines[:-1]
            text = "\n".join([rng.choice(BOILER_TOP)] + lines + rng.sample(BOILER_BOTTOM, 2))
            add("repost", outlets.pop(), head.upper() if rng.random() < 0.2 else head + " - report",
                text, rng.choice([pub, next_day]))
        if rng.random() < 0.4:
            new_lead = f"{f['place']} was the focus of fresh violence on {f['weekday']}. " + lead
            add("rewrite", outlets.pop(), "Update: " + head, rewrite(new_lead, body, rng), next_day)
        for k in range(rng.choice([0, 0, 1, 2])):
            h, sentences = independent_sentences(f, rng)
            # Its own reporting: its own context, in its own order.
            rest = sentences[1:] + background(f, rng)
            rng.shuffle(rest)
            sentences = sentences[:1] + rest
            add("independent", outlets.pop(), h, "\n".join(sentences),
                rng.choice([pub, next_day]), group=f"{group}-ind{k}")
    # Interleave the forms as a day of crawling would.
    order = list(range(len(docs)))
    rng.shuffle(order)
    order.sort(key=lambda i: docs[i]["published"])
    with open(os.path.join(args.out_dir, "corpus.jsonl"), "w") as out:
        for i in order:
            out.write(json.dumps(docs[i], ensure_ascii=False) + "\n")
    with open(os.path.join(args.out_dir, "labels.tsv"), "w") as out:
        out.write("# doc_id\tgroup\tevent\tform\n")
        for row in labels:
            out.write("\t".join(row) + "\n")
    print(f"{len(docs)} documents of {args.stories} stories written to {args.out_dir}")


if __name__ == "__main__":
    main()
