"""Fits scikit-learn's LogisticRegression on signalbox's exported training matrix and compares
validation AUCs. signalbox minimises mean log loss + l2/2·|w|² on standardised features with an
unpenalised intercept, which is scikit-learn's objective with C = 1 / (n · l2)."""
import csv
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

path = sys.argv[1]
facts = dict(line.strip().split("=", 1) for line in open(path + ".signalbox") if "=" in line)
ours, l2 = float(facts["auc"]), float(facts["l2"])
dropped = {name for name in facts.get("dropped", "").split(";") if name}

with open(path, newline="") as handle:
    reader = csv.reader(handle)
    header = next(reader)
    rows = list(reader)
columns = [index for index, name in enumerate(header) if index >= 4 and name not in dropped]
x = np.array([[float(row[index]) for index in columns] for row in rows])
y = np.array([row[3] == "1" for row in rows])
train = np.array([row[2] == "train" for row in rows])

scaler = StandardScaler().fit(x[train])
scale = scaler.scale_.copy()
scale[scale == 0] = 1
standardise = lambda values: (values - scaler.mean_) / scale
model = LogisticRegression(C=1 / (train.sum() * l2), max_iter=10_000, tol=1e-10)
model.fit(standardise(x[train]), y[train])
theirs = roc_auc_score(y[~train], model.predict_proba(standardise(x[~train]))[:, 1])
print(f"scikit-learn         validation AUC {theirs:.4f} vs signalbox {ours:.4f}: difference {abs(theirs - ours):.4f} "
      f"({len(rows)} rows, {len(columns)} features{', without ' + ', '.join(sorted(dropped)) if dropped else ''})")
sys.exit(0 if abs(theirs - ours) <= 0.005 else 1)
