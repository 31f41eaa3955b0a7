# Lesson 19 (lessons/19-argo-gateway-canary.yaml): its commands, step by step.
kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.2.6/install.yaml
kubectl rollout status deployment/envoy-gateway -n envoy-gateway-system
kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml
kubectl rollout status deployment/argo-rollouts -n argo-rollouts
kubectl apply -f gateway.yaml -f services.yaml -f route.yaml
kubectl apply -f rollout.yaml
sleep 30
kubectl argo rollouts get rollout demoapp
kubectl get httproute demoapp -o jsonpath='{range .spec.rules[*].backendRefs[*]}{.name}={.weight}{"\n"}{end}'
for i in $(seq 3); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done
kubectl argo rollouts set image demoapp demoapp=ikubernetes/demoapp:v1.1
sleep 30
kubectl argo rollouts get rollout demoapp
kubectl get httproute demoapp -o jsonpath='{range .spec.rules[*].backendRefs[*]}{.name}={.weight}{"\n"}{end}'
for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
kubectl argo rollouts promote demoapp
sleep 5
kubectl get httproute demoapp -o yaml
for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' -H 'X-Canary: always' 10.0.0.201; done | grep -c v1.1
kubectl argo rollouts promote demoapp
sleep 30
kubectl get httproute demoapp -o jsonpath='{range .spec.rules[*].backendRefs[*]}{.name}={.weight}{"\n"}{end}'
for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
kubectl argo rollouts promote demoapp
sleep 60
kubectl argo rollouts get rollout demoapp
kubectl get httproute demoapp -o jsonpath='{range .spec.rules[*].backendRefs[*]}{.name}={.weight}{"\n"}{end}'
for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
kubectl get events --field-selector involvedObject.kind=Rollout
