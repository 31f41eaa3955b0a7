# Lesson 17 (lessons/17-gateway-canary.yaml): its commands, step by step.
kubectl get gatewayclass
kubectl apply --server-side -f https://github.com/envoyproxy/gateway/releases/download/v1.2.6/install.yaml
kubectl rollout status deployment/envoy-gateway -n envoy-gateway-system
kubectl api-resources --api-group=gateway.networking.k8s.io
kubectl apply -f gateway.yaml
kubectl get gatewayclass,gateway
kubectl apply -f demoapp-v10.yaml
kubectl rollout status deployment/demoapp-v10
kubectl apply -f route-stable.yaml
kubectl get httproute
kubectl get httproute demoapp -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} ({.reason}){"\n"}{end}'
for i in $(seq 3); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done
kubectl apply -f demoapp-v11.yaml
kubectl rollout status deployment/demoapp-v11
kubectl apply -f route-canary.yaml
kubectl describe httproute demoapp
for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
for i in $(seq 10); do curl -s -m 2 -H 'Host: demoapp.example.com' -H 'X-Canary: always' 10.0.0.201; done | grep -c v1.1
kubectl scale deployment demoapp-v11 --replicas=3
kubectl rollout status deployment/demoapp-v11
kubectl patch httproute demoapp --type=json -p='[{"op":"replace","path":"/spec/rules/0/backendRefs/0/weight","value":0},{"op":"replace","path":"/spec/rules/0/backendRefs/1/weight","value":100}]'
kubectl get httproute demoapp -o jsonpath='{.spec.rules[0].backendRefs[*].weight}{"\n"}'
for i in $(seq 100); do curl -s -m 2 -H 'Host: demoapp.example.com' 10.0.0.201; done | grep -c v1.1
