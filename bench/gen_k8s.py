#!/usr/bin/env python3
"""Generate a Kubernetes manifest corpus for bench/k8s.sh: SERVICES services, each a kustomize
base (Deployment, Service, PodDisruptionBudget, ConfigMap) and two overlays (staging, prod) with a
strategic-merge patch and a JSON 6902 patch, plus one plain multi-document file per service.
Every fifth service serves WebSockets (listed in nova.toml); every seventh has planted problems.
Two environment kustomizations (envs/staging, envs/prod) render every service's overlay.
Usage: gen_k8s.py OUT [SERVICES]   (default 40 services: 40 * 11 + 2 = 442 YAML files)."""
import os
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 40


def w(rel, text):
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)


def deployment(name, bad):
    image = f"registry.local/{name}:latest" if bad else f"registry.local/{name}:1.{len(name)}.0"
    probes = "" if bad else """          readinessProbe:
            httpGet: {path: /health/ready, port: http}
          livenessProbe:
            httpGet: {path: /health/live, port: http}
"""
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: {name}}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxUnavailable: 0, maxSurge: 1}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      terminationGracePeriodSeconds: 45
      securityContext: {{runAsNonRoot: true}}
      containers:
        - name: {name}
          image: {image}
          ports:
            - {{name: http, containerPort: 8080}}
            - {{name: grpc, containerPort: 50051}}
          envFrom:
            - configMapRef: {{name: {name}-config}}
          env:
            - {{name: SHUTDOWN_GRACE_SECS, value: "30"}}
{probes}          lifecycle:
            preStop:
              exec:
                command: ["/bin/sh", "-c", "sleep 10"]
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{memory: 512Mi}}
"""


def service(name, ws):
    aff = """  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP: {timeoutSeconds: 10800}
""" if ws else ""
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {name}}}
  ports:
    - {{name: http, port: 8080, targetPort: http}}
    - {{name: grpc, port: 50051, targetPort: grpc}}
{aff}"""


ws_names = []
for i in range(n):
    name = f"svc-{i:03d}"
    ws = i % 5 == 0
    bad = i % 7 == 3
    if ws:
        ws_names.append(name)
    peer = f"svc-{(i + 1) % n:03d}"
    base = f"services/{name}/base"
    w(f"{base}/deployment.yaml", deployment(name, bad))
    w(f"{base}/service.yaml", service(name, ws and not bad))
    w(f"{base}/pdb.yaml", f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
spec:
  minAvailable: 1
  selector:
    matchLabels: {{app: {name}}}
""")
    port = 9999 if bad else 8080
    w(f"{base}/configmap.yaml", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
data:
  PEER_URL: http://{peer}:{port}
  LOG_FORMAT: json
""")
    w(f"{base}/kustomization.yaml", """resources:
  - deployment.yaml
  - service.yaml
  - pdb.yaml
  - configmap.yaml
""")
    for env, replicas in (("staging", 1 if ws else 2), ("prod", 3)):
        w(f"services/{name}/overlays/{env}/kustomization.yaml", f"""resources:
  - ../../base
commonLabels:
  env: {env}
images:
  - name: registry.local/{name}
    newTag: "2.{i}.0"
replicas:
  - name: {name}
    count: {replicas}
patchesStrategicMerge:
  - resources.yaml
patchesJson6902:
  - target: {{kind: Deployment, name: {name}}}
    path: grace.yaml
""")
        w(f"services/{name}/overlays/{env}/resources.yaml", f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: {name}
          resources:
            limits: {{memory: {"1Gi" if env == "prod" else "512Mi"}}}
""")
        w(f"services/{name}/overlays/{env}/grace.yaml", f"""- op: replace
  path: /spec/template/spec/terminationGracePeriodSeconds
  value: {30 if bad else 60}
""")
    # A plain multi-document file per service (a job and its config), read as is.
    w(f"jobs/{name}-migrate.yaml", f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-migrate
data:
  TARGET: http://{name}:8080
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}-migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: registry.local/{name}-migrate:1.0.0
""")
# One kustomization per environment renders every service's overlay: the cluster nova judges
# (client endpoints resolve across services), the way a GitOps repository deploys.
for env in ("staging", "prod"):
    res = "".join(f"  - ../../services/svc-{i:03d}/overlays/{env}\n" for i in range(n))
    w(f"envs/{env}/kustomization.yaml", f"resources:\n{res}namespace: {env}\n")
names = ", ".join(f'"{x}"' for x in ws_names)
w("nova.toml", f"[k8s]\nwebsocket_services = [{names}]\n")
files = sum(len(f) for _, _, f in os.walk(out)) - 1
print(f"{files} manifest files, {n} services ({len(ws_names)} WebSocket), 2 overlays each")
