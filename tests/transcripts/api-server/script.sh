# kubectl explain, served as OpenAPI v3 by rollout-lab apiserver (issue #18).
kubectl explain deployment.spec.strategy
# Aggregated discovery (apidiscovery.k8s.io/v2): the same resources as the legacy lists.
kubectl api-resources
kubectl api-resources --namespaced=false
kubectl api-resources --api-group=apps -o name
kubectl get all
kubectl explain pods
kubectl explain pod.metadata.creationTimestamp
kubectl explain pod.spec.containers.resources
kubectl explain deployment.spec --recursive
kubectl explain pdb.spec.maxUnavailable
kubectl explain svc.spec.type
kubectl explain deployment.spec.nosuchfield
kubectl explain rollouts
kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml
kubectl explain rollouts
kubectl explain rollout.spec.strategy.canary.steps
kubectl explain rollout.spec.strategy --recursive
kubectl explain rollout.metadata
# Delete propagation: orphaned ReplicaSets keep their pods and lose their owner; a
# foreground delete waits until the dependents are gone.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl rollout status deployment web
kubectl delete deployment web --cascade=orphan
kubectl get deployments
kubectl get rs
kubectl get rs -o yaml
kubectl get pods
kubectl delete rs --all --cascade=bogus
kubectl create deployment api --image=nginx:1.25 --replicas=2
kubectl rollout status deployment api
kubectl delete deployment api --cascade=foreground
kubectl get deployments
kubectl get pods
kubectl delete rs --all --cascade=false
kubectl get rs
kubectl get pods
# Server-side apply: a conflict with the client-side applier's fields, taking them over;
# an object created by a server-side apply, updated by its manager and contested by another.
cat > shop.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx:1.25
YAML
cat > shop-3.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx:1.25
YAML
kubectl apply -f shop.yaml
kubectl apply --server-side -f shop-3.yaml
kubectl apply --server-side -f shop-3.yaml --force-conflicts
kubectl get deployment shop
kubectl apply --server-side -f shop.yaml
kubectl get deployment shop -o yaml
cat > cart.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
spec:
  replicas: 1
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
    spec:
      containers:
      - name: cart
        image: nginx:1.25
YAML
cat > cart-2.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
spec:
  replicas: 1
  selector:
    matchLabels:
      app: cart
  template:
    metadata:
      labels:
        app: cart
    spec:
      containers:
      - name: cart
        image: nginx:1.26
YAML
kubectl apply --server-side -f cart.yaml
kubectl apply --server-side -f cart-2.yaml
kubectl apply --server-side -f cart.yaml --field-manager=other
kubectl apply --server-side -f cart.yaml --field-manager=other --force-conflicts
kubectl get deployment cart -o wide
kubectl apply -f cart.yaml --force-conflicts
kubectl apply --server-side -f cart-2.yaml --dry-run=server
kubectl apply --server-side -f cart-2.yaml --dry-run=server --force-conflicts
kubectl apply --server-side -f cart-2.yaml --dry-run=client
kubectl get deployment cart -o wide
