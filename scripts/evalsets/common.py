"""Shared helpers for the hand-written development sets (names, CSV writing, checks)."""
import csv
import os
import random

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红鹏飞辉斌波宁琳雪梅晨欣怡浩宇博文轩睿哲思远航志建国庆春晓峰岚颖婷倩瑶璐晗昊然煜泽楠彤悦嘉铭凯翔旭东南北川海山林森磊晶莹荣德福禄寿安康健毅诚信")


def make_names(n, seed):
    rng = random.Random(seed)
    seen = set()
    out = []
    while len(out) < n:
        s = rng.choice(SURNAMES)
        g = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.72 else "")
        nm = s + g
        if nm in seen or len(set(nm)) < len(nm):
            continue
        seen.add(nm)
        out.append(nm)
    return out


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
